// Test helpers: crafted archives built with tar-stream, as an attacker would build them.
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Header } from 'tar-stream';

type HeaderArgument = Partial<Header> & Pick<Header, 'name'>;

export interface CraftedEntry {
  header: HeaderArgument;
  content?: string;
}

/** A gzipped tar holding exactly the given entries, headers unchecked. */
export async function craftArchive(entries: CraftedEntry[]): Promise<Uint8Array> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collecting = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(entry.header, entry.content ?? '', (error) => (error ? reject(error) : resolve()));
    });
  }
  pack.finalize();
  await collecting;
  return new Uint8Array(gzipSync(Buffer.concat(chunks)));
}

/** A valid manifest for package tests. */
export const testManifest = {
  id: 'acme.hello',
  version: '1.0.0',
  publisher: 'acme',
  displayName: { en: 'Hello' },
  description: { en: 'Greets.' },
  engines: { daicho: '>=0.1.0' },
  permissions: ['kv'],
  main: 'dist/plugin.js',
};
