import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { PluginManifest, PluginPackage } from '../contract.ts';
import { checkPluginManifest, validatePluginManifest } from '../manifest/index.ts';
import type { ManifestProblem } from '../manifest/index.ts';
import { PluginPackageError } from './package-error.ts';
import { manifestFileName, unsafePathReason } from './package-path.ts';
import { sha256Digest } from './signature.ts';

/**
 * Caps applied while a package streams in; every one is checked before the bytes it guards are kept.
 *
 * @example
 * await readPluginPackage(bytes, { maxTotalBytes: 20 * 1024 * 1024 } satisfies Partial<PluginPackageLimits>);
 */
export interface PluginPackageLimits {
  /** Entries in the archive (directories included). Default 1,000. */
  maxEntries: number;
  /** Bytes of one file. Default 10 MB. */
  maxEntryBytes: number;
  /** Bytes of all files together. Default 50 MB. */
  maxTotalBytes: number;
  /** Inflated bytes per compressed byte, checked once more than 1 MB has inflated. Default 100. */
  maxCompressionRatio: number;
}

/**
 * The caps install uses unless it passes others.
 *
 * @example
 * await readPluginPackage(bytes, { ...defaultPluginPackageLimits, maxEntries: 200 });
 */
export const defaultPluginPackageLimits: Readonly<PluginPackageLimits> = Object.freeze({
  maxEntries: 1_000,
  maxEntryBytes: 10 * 1024 * 1024,
  maxTotalBytes: 50 * 1024 * 1024,
  maxCompressionRatio: 100,
});

const ratioFloorBytes = 1024 * 1024;

/**
 * Reads a plugin package (.tgz) into memory, refusing anything unsafe while it streams:
 * non-file entries (symlinks, hard links, devices, FIFOs), unsafe or duplicate names (absolute,
 * `..`, backslash, drive letter, NUL, or equal ignoring case), more entries or bytes than the
 * limits, a compression ratio past the cap (a gzip bomb stops after at most about
 * `maxTotalBytes` inflated, with memory bounded by the stream buffers). It then validates the
 * manifest (schema and semantic checks, with the contributed object files) and checks that `main`
 * and every contributed file are present. Nothing is written anywhere.
 *
 * @throws PluginPackageError `INVALID_PLUGIN_PACKAGE` (details.reason) or `INVALID_MANIFEST` (details.problems)
 * @example
 * const pkg = await readPluginPackage(new Uint8Array(await request.arrayBuffer()));
 * console.log(pkg.manifest.id, pkg.digest, [...pkg.files.keys()]);
 */
export async function readPluginPackage(bytes: Uint8Array, limits: Partial<PluginPackageLimits> = {}): Promise<PluginPackage> {
  const caps = { ...defaultPluginPackageLimits, ...limits };
  const files = await extractFiles(bytes, caps);
  const manifest = readManifest(files);
  return { manifest, files, digest: sha256Digest(bytes) };
}

async function extractFiles(bytes: Uint8Array, caps: PluginPackageLimits): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  const extract = tar.extract();
  const gunzip = createGunzip();
  // The first refusal wins: destroying one stream makes the others fail with less useful errors.
  let refusal: PluginPackageError | undefined;
  const refuse = (error: PluginPackageError): PluginPackageError => (refusal ??= error);

  const feeding = (async () => {
    let inflated = 0;
    // Headers and padding add at most a few blocks per entry on top of the file bytes.
    const maxInflated = caps.maxTotalBytes + (caps.maxEntries + 2) * 1536;
    try {
      gunzip.end(bytes);
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > maxInflated) throw refuse(PluginPackageError.refused('PACKAGE_TOO_LARGE', `The package inflates to more than ${caps.maxTotalBytes} bytes`));
        if (inflated > ratioFloorBytes && inflated > bytes.length * caps.maxCompressionRatio) {
          throw refuse(PluginPackageError.refused('COMPRESSION_RATIO', `The package inflates more than ${caps.maxCompressionRatio} times its size`));
        }
        if (!extract.write(chunk)) {
          await new Promise<void>((resolve) => {
            extract.once('drain', () => resolve());
            extract.once('close', () => resolve());
          });
        }
        if (extract.destroyed) return;
      }
      extract.end(undefined);
    } catch (error) {
      if (!(error instanceof PluginPackageError)) refuse(PluginPackageError.refused('NOT_GZIP', 'The package is not a gzip stream'));
      extract.destroy(refusal);
    }
  })();

  try {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      if (seen.size + 1 > caps.maxEntries) throw refuse(PluginPackageError.refused('TOO_MANY_ENTRIES', `The package has more than ${caps.maxEntries} entries`));
      const reason = unsafePathReason(type === 'directory' ? name.replace(/\/$/u, '') : name);
      if (reason) throw refuse(PluginPackageError.refused('UNSAFE_PATH', `The entry ${JSON.stringify(name)} ${reason}`, name));
      if (type !== 'file' && type !== 'directory') throw refuse(PluginPackageError.refused('UNSUPPORTED_ENTRY', `The entry ${name} is a ${type ?? 'unknown entry'}; only regular files are allowed`, name));
      const key = name.toLowerCase();
      if (seen.has(key)) throw refuse(PluginPackageError.refused('DUPLICATE_ENTRY', `The entry ${name} appears twice (ignoring case)`, name));
      seen.add(key);
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (size > caps.maxEntryBytes) throw refuse(PluginPackageError.refused('ENTRY_TOO_LARGE', `The entry ${name} is over ${caps.maxEntryBytes} bytes`, name));
      files.set(name, await readEntry(entry as AsyncIterable<Buffer>, name, caps, totalBytes(files), refuse));
    }
  } catch (error) {
    // Set before stopping the inflater, whose own failure would otherwise look like bad gzip.
    refuse(PluginPackageError.refused('MALFORMED_ARCHIVE', `The package is not a well-formed tar archive (${(error as Error).message})`));
    gunzip.destroy();
    await feeding;
    throw refusal;
  }
  await feeding;
  if (refusal) throw refusal;
  return files;
}

async function readEntry(entry: AsyncIterable<Buffer>, name: string, caps: PluginPackageLimits, totalSoFar: number, refuse: (error: PluginPackageError) => PluginPackageError): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  // The header's size is checked first; counting again guards against a lying header.
  for await (const chunk of entry) {
    size += chunk.length;
    if (size > caps.maxEntryBytes) throw refuse(PluginPackageError.refused('ENTRY_TOO_LARGE', `The entry ${name} is over ${caps.maxEntryBytes} bytes`, name));
    if (totalSoFar + size > caps.maxTotalBytes) throw refuse(PluginPackageError.refused('PACKAGE_TOO_LARGE', `The package's files total more than ${caps.maxTotalBytes} bytes`, name));
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function totalBytes(files: Map<string, Uint8Array>): number {
  let total = 0;
  for (const data of files.values()) total += data.length;
  return total;
}

function parseJsonFile(files: ReadonlyMap<string, Uint8Array>, path: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files.get(path))) };
  } catch {
    return { ok: false };
  }
}

/**
 * Validates the package's manifest and its references to other files in the package.
 *
 * @example
 * const manifest = readPackageManifest(new Map([['daicho-plugin.json', bytes], ['dist/plugin.js', bundle]]));
 */
export function readPackageManifest(files: ReadonlyMap<string, Uint8Array>): PluginManifest {
  return readManifest(files);
}

function readManifest(files: ReadonlyMap<string, Uint8Array>): PluginManifest {
  if (!files.has(manifestFileName)) throw PluginPackageError.refused('MANIFEST_MISSING', `The package has no ${manifestFileName} at its top level`);
  const parsed = parseJsonFile(files, manifestFileName);
  if (!parsed.ok) throw PluginPackageError.invalidManifest([{ path: '', message: 'is not valid UTF-8 JSON' }]);
  const validated = validatePluginManifest(parsed.value);
  if (!validated.ok) throw PluginPackageError.invalidManifest(validated.problems);
  const manifest = validated.manifest;

  const problems: ManifestProblem[] = [];
  const definitions = new Map<string, unknown>();
  manifest.contributes?.objects?.forEach((path, index) => {
    if (!files.has(path)) return; // reported as missing below
    const definition = parseJsonFile(files, path);
    if (definition.ok) definitions.set(path, definition.value);
    else problems.push({ path: `/contributes/objects/${index}`, message: `${path} is not valid JSON` });
  });
  problems.push(...checkPluginManifest(manifest, definitions).filter((problem) => !problem.message.endsWith('is not in the package')));
  if (problems.length > 0) throw PluginPackageError.invalidManifest(problems);

  for (const path of referencedFiles(manifest)) {
    if (!files.has(path)) throw PluginPackageError.refused('FILE_MISSING', `The manifest names ${path}, which is not in the package`, path);
  }
  return manifest;
}

/**
 * Every package path the manifest names: main, definitions, translations and migrations.
 *
 * @example
 * referencedFiles(manifest); // ['dist/plugin.js', 'definitions/greeting.object.json', 'locales/en.json']
 */
export function referencedFiles(manifest: PluginManifest): string[] {
  const contributes = manifest.contributes ?? {};
  return [
    ...(manifest.main ? [manifest.main] : []),
    ...(contributes.objects ?? []),
    ...(contributes.fields ?? []).map((field) => field.file),
    ...(contributes.views ?? []),
    ...(contributes.workflows ?? []),
    ...(contributes.dashboards ?? []),
    ...Object.values(contributes.translations ?? {}),
    ...(contributes.migrations ?? []),
  ];
}
