import { builtinModules } from 'node:module';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { CliError } from './cli-error.ts';
import { writeObjectTypes } from './generate-types.ts';
import { loadPluginProject } from './plugin-project.ts';
import type { PluginProject } from './plugin-project.ts';

/**
 * The bundle's global: the sandbox reads the definition from it (`.default`).
 *
 * @example
 * const definition = new Function(`${bundle}; return ${bundleGlobalName}.default;`)();
 */
export const bundleGlobalName = '__daicho_plugin__';
/**
 * The entry point `build` bundles.
 *
 * @example
 * existsSync(path.join(dir, entryPoint));
 */
export const entryPoint = 'src/index.ts';
/**
 * Bundles over this size are refused: they would be slow to load in every isolate.
 *
 * @example
 * if (bundle.length > maxBundleBytes) throw new CliError('too large');
 */
export const maxBundleBytes = 5 * 1024 * 1024;

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]!]));

// Plugin code runs in an isolate with no Node.js: say so at build time, naming the importer.
const refuseNodeBuiltins: Plugin = {
  name: 'daicho-no-node-builtins',
  setup(builder) {
    // esbuild filters are Go regular expressions, which know no `u` flag.
    builder.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
      if (!args.path.startsWith('node:') && !nodeBuiltins.has(bare.split('/')[0]!)) return undefined;
      const where = args.importer ? path.relative(process.cwd(), args.importer) : 'the entry point';
      return { errors: [{ text: `${where} imports '${args.path}': plugin code runs in a sandbox without Node.js built-ins; use ctx.http, ctx.kv and the other host APIs instead` }] };
    });
  },
};

/**
 * What `build` produced.
 *
 * @example
 * const { bundlePath } = await buildPlugin(dir);
 */
export interface BuildResult {
  project: PluginProject;
  /** Absolute path of the bundle, or null for a definition-only plugin (no `main`). */
  bundlePath: string | null;
  bundleBytes: number;
}

/**
 * `daicho-plugin build`: validates the manifest (schema and semantic checks), writes the record
 * types, and bundles `src/index.ts` into `main` (usually `dist/plugin.js`) as one IIFE with no
 * Node built-ins, refusing bundles over 5 MB.
 *
 * @example
 * const { bundlePath, bundleBytes } = await buildPlugin('examples/hello-plugin');
 */
export async function buildPlugin(dir: string): Promise<BuildResult> {
  const project = loadPluginProject(dir);
  if (project.objects.size > 0) writeObjectTypes(project);
  const main = project.manifest.main;
  if (!main) return { project, bundlePath: null, bundleBytes: 0 };
  const entry = path.join(dir, entryPoint);
  if (!existsSync(entry)) throw new CliError(`The manifest names main ${main}, but ${entryPoint} does not exist`);
  let output: Uint8Array;
  try {
    const result = await build({
      absWorkingDir: dir,
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: bundleGlobalName,
      platform: 'neutral',
      target: 'es2023',
      // `neutral` knows no package entry fields; these are the ones packages use.
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [refuseNodeBuiltins],
    });
    output = result.outputFiles[0]!.contents;
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors ?? [];
    throw new CliError('The bundle failed to build', errors.length > 0 ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)) : [(error as Error).message]);
  }
  if (output.length > maxBundleBytes) throw new CliError(`The bundle is ${output.length} bytes, over the ${maxBundleBytes}-byte limit`);
  const bundlePath = path.join(dir, main);
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, output);
  return { project, bundlePath, bundleBytes: output.length };
}
