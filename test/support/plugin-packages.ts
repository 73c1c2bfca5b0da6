// Builds plugin packages in tests the way a plugin author's build does: the plugin's source
// bundled by esbuild (IIFE, global `__daicho_plugin__`) and packed with the SDK's writer.
import { createRequire } from 'node:module';
import type { PluginManifest } from '@daicho/sdk';
import { writePluginPackage } from '@daicho/sdk/plugin-tools';

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
}

// esbuild is the SDK's dependency (its CLI builds with it); tests borrow it from there.
const esbuild = createRequire(new URL('../../sdk/package.json', import.meta.url))('esbuild') as EsbuildLike;

/** Bundles plugin source (an ES module whose default export is the definition). */
export async function bundlePlugin(source: string): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents: source, loader: 'js', resolveDir: process.cwd() },
    bundle: true, format: 'iife', globalName: '__daicho_plugin__', platform: 'neutral', target: 'es2022', write: false,
  });
  return result.outputFiles[0]!.text;
}

/** A .tgz with the manifest, the bundle of `source` (when given) at `manifest.main`, and other files (JSON values are serialised). */
export async function buildPluginPackage(manifest: PluginManifest, source: string | undefined, files: Record<string, unknown> = {}): Promise<Uint8Array> {
  const entries: Record<string, string> = { 'daicho-plugin.json': JSON.stringify(manifest) };
  if (source !== undefined && manifest.main) entries[manifest.main] = await bundlePlugin(source);
  for (const [path, value] of Object.entries(files)) entries[path] = typeof value === 'string' ? value : JSON.stringify(value);
  return writePluginPackage(entries);
}

/** Uploads a package as the admin: POST /api/v1/plugins (or …/:id/upgrade). */
export async function uploadPlugin(baseUrl: string, token: string, path: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip', ...headers }, body: Buffer.from(bytes) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
