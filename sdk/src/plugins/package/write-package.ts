import { gzipSync } from 'node:zlib';
import { PluginPackageError } from './package-error.ts';
import { unsafePathReason } from './package-path.ts';

/**
 * Files to pack, by path in the package; strings are written as UTF-8.
 *
 * @example
 * const files: PluginPackageFiles = { 'daicho-plugin.json': manifestText, 'dist/plugin.js': bundle };
 */
export type PluginPackageFiles = ReadonlyMap<string, Uint8Array | string> | Readonly<Record<string, Uint8Array | string>>;

const blockSize = 512;
// A fixed date so that the same files always give the same bytes, hence the same digest.
const fixedMtime = 0;

/**
 * Packs files into a plugin package: a gzipped ustar archive with every entry at the top level,
 * sorted by path, mode 0644, uid/gid 0 and a fixed mtime, so that packing the same files twice
 * gives the same bytes (and digest). Refuses unsafe paths the reader would refuse.
 *
 * @example
 * const bytes = writePluginPackage({ 'daicho-plugin.json': JSON.stringify(manifest), 'dist/plugin.js': bundle });
 * console.log(sha256Digest(bytes));
 */
export function writePluginPackage(files: PluginPackageFiles): Uint8Array {
  const entries = (files instanceof Map ? [...files.entries()] : Object.entries(files)) as Array<[string, Uint8Array | string]>;
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const blocks: Uint8Array[] = [];
  for (const [name, content] of entries) {
    const reason = unsafePathReason(name);
    if (reason) throw PluginPackageError.refused('UNSAFE_PATH', `Cannot pack ${JSON.stringify(name)}: the path ${reason}`, name);
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    blocks.push(tarHeader(name, data.length), data);
    const padding = (blockSize - (data.length % blockSize)) % blockSize;
    if (padding > 0) blocks.push(new Uint8Array(padding));
  }
  blocks.push(new Uint8Array(blockSize * 2)); // end of archive
  return new Uint8Array(gzipSync(Buffer.concat(blocks), { level: 9 }));
}

/**
 * A ustar header for a regular file (exported for tests that craft archives).
 *
 * @example
 * const archive = Buffer.concat([tarHeader('big.bin', 1024 ** 3), Buffer.alloc(1024)]); // a header that lies
 */
export function tarHeader(path: string, size: number): Uint8Array {
  const header = Buffer.alloc(blockSize);
  const [prefix, name] = splitName(path);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write(`${fixedMtime.toString(8).padStart(11, '0')}\0`, 136, 'ascii');
  header.write('        ', 148, 'ascii'); // checksum counts as spaces while it is computed
  header.write('0', 156, 'ascii'); // regular file
  header.write('ustar\u000000', 257, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

// ustar keeps names over 100 bytes as prefix (≤155) + '/' + name (≤100).
function splitName(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let index = path.indexOf('/'); index !== -1; index = path.indexOf('/', index + 1)) {
    const prefix = path.slice(0, index);
    const name = path.slice(index + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw PluginPackageError.refused('UNSAFE_PATH', `Cannot pack ${JSON.stringify(path)}: the path cannot be stored in a tar header`, path);
}
