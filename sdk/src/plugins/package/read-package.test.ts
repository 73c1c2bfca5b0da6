import { createGzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PluginPackageError } from './package-error.ts';
import { unsafePathReason } from './package-path.ts';
import { readPluginPackage } from './read-package.ts';
import { sha256Digest } from './signature.ts';
import { craftArchive, testManifest } from './test-archives.ts';
import type { CraftedEntry } from './test-archives.ts';
import { tarHeader, writePluginPackage } from './write-package.ts';

const manifestEntry: CraftedEntry = { header: { name: 'daicho-plugin.json', type: 'file' }, content: JSON.stringify(testManifest) };
const bundleEntry: CraftedEntry = { header: { name: 'dist/plugin.js', type: 'file' }, content: 'var __daicho_plugin__ = {};' };

async function refusal(bytes: Uint8Array, limits?: Parameters<typeof readPluginPackage>[1]): Promise<PluginPackageError> {
  const error = await readPluginPackage(bytes, limits).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginPackageError);
  return error as PluginPackageError;
}

describe('readPluginPackage', () => {
  it('reads what writePluginPackage wrote, with the digest of the bytes', async () => {
    const bytes = writePluginPackage({ 'daicho-plugin.json': JSON.stringify(testManifest), 'dist/plugin.js': 'var x = 1;' });
    const pkg = await readPluginPackage(bytes);
    expect(pkg.manifest).toEqual(testManifest);
    expect(new TextDecoder().decode(pkg.files.get('dist/plugin.js'))).toBe('var x = 1;');
    expect(pkg.digest).toBe(sha256Digest(bytes));
  });

  it('writes the same bytes for the same files, whatever their order', () => {
    const a = writePluginPackage({ 'daicho-plugin.json': '{}', 'b.txt': 'b', 'a.txt': 'a' });
    const b = writePluginPackage(new Map([['a.txt', 'a'], ['daicho-plugin.json', '{}'], ['b.txt', 'b']]));
    expect(sha256Digest(a)).toBe(sha256Digest(b));
  });

  it('accepts an archive made by tar-stream, directories included', async () => {
    const pkg = await readPluginPackage(await craftArchive([{ header: { name: 'dist/', type: 'directory' } }, manifestEntry, bundleEntry]));
    expect([...pkg.files.keys()].sort()).toEqual(['daicho-plugin.json', 'dist/plugin.js']);
  });

  // Row 20: names that would land outside a staging directory, or be read differently elsewhere.
  it.each(['../x', 'a/../../x', '/etc/x', 'a\\b', '..\\x', 'C:x', 'c:/x', './daicho-plugin.json', 'a//b', 'dist/ü.js'])('refuses the entry name %j', async (name) => {
    const error = await refusal(await craftArchive([manifestEntry, bundleEntry, { header: { name, type: 'file' }, content: 'x' }]));
    expect(error.code).toBe('INVALID_PLUGIN_PACKAGE');
    expect(error.details).toMatchObject({ reason: 'UNSAFE_PATH' });
  });

  it('refuses duplicate entries, also when they differ only in case', async () => {
    for (const name of ['dist/plugin.js', 'DIST/plugin.js']) {
      const error = await refusal(await craftArchive([manifestEntry, bundleEntry, { header: { name, type: 'file' }, content: 'y' }]));
      expect(error.details).toEqual({ reason: 'DUPLICATE_ENTRY', entry: name });
    }
  });

  // Row 21.
  it.each([
    ['symlink', { name: 'link', type: 'symlink', linkname: '/etc/passwd' }],
    ['hard link', { name: 'link', type: 'link', linkname: 'daicho-plugin.json' }],
    ['character device', { name: 'dev', type: 'character-device', devmajor: 1, devminor: 3 }],
    ['block device', { name: 'dev', type: 'block-device' }],
    ['fifo', { name: 'pipe', type: 'fifo' }],
  ] as Array<[string, CraftedEntry['header']]>)('refuses a %s entry', async (_kind, header) => {
    const error = await refusal(await craftArchive([manifestEntry, bundleEntry, { header }]));
    expect(error.details).toEqual({ reason: 'UNSUPPORTED_ENTRY', entry: header.name });
  });

  it('refuses an entry over the size cap from its header, and a package over the total cap', async () => {
    const big = await craftArchive([manifestEntry, bundleEntry, { header: { name: 'big.bin', type: 'file' }, content: 'x'.repeat(2000) }]);
    expect((await refusal(big, { maxEntryBytes: 1000 })).details).toEqual({ reason: 'ENTRY_TOO_LARGE', entry: 'big.bin' });
    expect((await refusal(big, { maxTotalBytes: 1500 })).details).toMatchObject({ reason: 'PACKAGE_TOO_LARGE' });
  });

  // Row 22: 100,000 entries stop at the entry cap.
  it('refuses 100,000 entries once past the cap', async () => {
    const entries: CraftedEntry[] = [manifestEntry, bundleEntry];
    for (let index = 0; index < 100_000; index++) entries.push({ header: { name: `f/${index}`, type: 'file' } });
    const bytes = await craftArchive(entries);
    const started = performance.now();
    expect((await refusal(bytes)).details).toEqual({ reason: 'TOO_MANY_ENTRIES' });
    expect(performance.now() - started).toBeLessThan(2_000);
  }, 60_000);

  // Row 22: 1 GB of zeros, gzipped as a stream (about 4.6 MB), never inflates past the caps.
  it('stops a gzip bomb while streaming, in bounded time and memory', async () => {
    const gzip = createGzip({ level: 1 });
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    const zeros = Buffer.alloc(1024 * 1024);
    for (let index = 0; index < 1024; index++) {
      if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
    }
    gzip.end();
    await new Promise((resolve) => gzip.once('end', resolve));
    const bomb = new Uint8Array(Buffer.concat(chunks));

    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const error = await refusal(bomb);
    expect(['PACKAGE_TOO_LARGE', 'COMPRESSION_RATIO']).toContain(error.details.reason);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);

    // A header that claims a 1 GB file is refused before any of its data is read.
    const liar = new Uint8Array(gzipSync(Buffer.concat([tarHeader('big.bin', 1024 ** 3), Buffer.alloc(64 * 1024)])));
    expect((await refusal(liar)).details).toEqual({ reason: 'ENTRY_TOO_LARGE', entry: 'big.bin' });
  }, 60_000);

  it('refuses bytes that are not gzip (a zip among them), and a gzip that is not tar', async () => {
    expect((await refusal(new TextEncoder().encode('hello'))).details).toEqual({ reason: 'NOT_GZIP' });
    // A zip (local file header, then an entry named ../x): not our format, refused before any entry is read.
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(22), Buffer.from([4, 0, 0, 0]), Buffer.from('../x')]);
    expect((await refusal(new Uint8Array(zip))).details).toEqual({ reason: 'NOT_GZIP' });
    const notTar = new Uint8Array(gzipSync(Buffer.from('x'.repeat(600))));
    expect((await refusal(notTar)).details).toMatchObject({ reason: 'MALFORMED_ARCHIVE' });
  });

  it('refuses a package without a manifest, with an invalid manifest, or without its main bundle', async () => {
    expect((await refusal(writePluginPackage({ 'dist/plugin.js': 'x' }))).details).toEqual({ reason: 'MANIFEST_MISSING' });
    const invalidJson = await refusal(writePluginPackage({ 'daicho-plugin.json': '{', 'dist/plugin.js': 'x' }));
    expect(invalidJson.code).toBe('INVALID_MANIFEST');
    const extraKey = await refusal(writePluginPackage({ 'daicho-plugin.json': JSON.stringify({ ...testManifest, cachedData: 'x' }), 'dist/plugin.js': 'x' }));
    expect(extraKey.details).toEqual({ problems: [{ path: '/cachedData', message: 'is not an allowed property' }] });
    expect((await refusal(writePluginPackage({ 'daicho-plugin.json': JSON.stringify(testManifest) }))).details).toEqual({ reason: 'FILE_MISSING', entry: 'dist/plugin.js' });
  });

  it('checks contributed object names against the plugin id', async () => {
    const manifest = { ...testManifest, contributes: { objects: ['definitions/thing.object.json'] } };
    const error = await refusal(writePluginPackage({ 'daicho-plugin.json': JSON.stringify(manifest), 'dist/plugin.js': 'x', 'definitions/thing.object.json': '{"name":"thing"}' }));
    expect(error.details).toEqual({ problems: [{ path: '/contributes/objects/0', message: 'the object\'s name must start with acme.hello.' }] });
  });

  it('round-trips any set of safe files', async () => {
    const segment = fc.stringMatching(/^[a-z0-9_][a-z0-9._-]{0,12}$/u);
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('/')).filter((name) => name !== 'daicho-plugin.json' && name !== 'dist/plugin.js' && name.length <= 200);
    const files = fc.dictionary(path, fc.uint8Array({ maxLength: 2000 }), { maxKeys: 20 });
    await fc.assert(
      fc.asyncProperty(files, async (extra) => {
        const input = new Map<string, Uint8Array>(Object.entries(extra));
        input.set('daicho-plugin.json', new TextEncoder().encode(JSON.stringify(testManifest)));
        input.set('dist/plugin.js', new TextEncoder().encode('x'));
        const pkg = await readPluginPackage(writePluginPackage(input));
        expect(new Map(pkg.files)).toEqual(input);
      }),
      { numRuns: 50 },
    );
  });
});

describe('unsafePathReason', () => {
  it('refuses NUL, which a tar header cannot even carry', () => {
    expect(unsafePathReason('a\0b')).toBe('contains NUL');
    expect(unsafePathReason('definitions/a.object.json')).toBeNull();
  });
});
