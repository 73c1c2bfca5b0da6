import { randomBytes } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): a millisecond timestamp followed by random bits, so that ids
 * sort by creation time and index well.
 */
// Random bytes are drawn in blocks: one system call per 256 ids instead of one per id.
let pool = Buffer.alloc(0);
let offset = 0;

function random16(): Buffer {
  if (offset + 16 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + 16));
  offset += 16;
  return bytes;
}

export function generateUuidV7(now: number = Date.now()): string {
  const bytes = random16();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
