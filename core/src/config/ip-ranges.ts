import net from 'node:net';

/**
 * A range of IP addresses in CIDR notation. IPv4 and IPv6 share one 128-bit space: an IPv4
 * address is held as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `10.0.0.0/8` and
 * `::ffff:10.0.0.0/104` are the same range and match a peer seen either way.
 */
export interface IpRange {
  /** As written, for messages and the API. */
  readonly text: string;
  readonly bytes: Uint8Array;
  /** Leading bits that must match, 0–128. */
  readonly prefixBits: number;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIpv4(text: string): number[] | undefined {
  if (!net.isIPv4(text)) return undefined;
  return text.split('.').map(Number);
}

/** The 16 bytes of an IPv4 or IPv6 address (IPv4 mapped into IPv6), or undefined when malformed. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  const ipv4 = parseIpv4(trimmed);
  if (ipv4) return Uint8Array.from([...MAPPED_PREFIX, ...ipv4]);
  // A zone (fe80::1%eth0) names the interface, not the address.
  const address = trimmed.replace(/^\[(.*)\]$/, '$1').replace(/%[\w.-]+$/, '');
  if (!net.isIPv6(address)) return undefined;
  let normalised = address;
  const lastColon = address.lastIndexOf(':');
  const embedded = parseIpv4(address.slice(lastColon + 1));
  if (embedded) {
    // ::ffff:10.0.0.1 → ::ffff:a00:1
    const high = ((embedded[0]! << 8) | embedded[1]!).toString(16);
    const low = ((embedded[2]! << 8) | embedded[3]!).toString(16);
    normalised = `${address.slice(0, lastColon + 1)}${high}:${low}`;
  }
  const [left = '', right] = normalised.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const leftGroups = groups(left);
  const rightGroups = right === undefined ? [] : groups(right);
  const zeros = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const all = [...leftGroups, ...Array.from({ length: zeros }, () => 0), ...rightGroups];
  if (all.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

function isMapped(bytes: Uint8Array): boolean {
  return MAPPED_PREFIX.every((byte, index) => bytes[index] === byte);
}

/** Writes 16 address bytes back as text: IPv4 for mapped addresses, compressed IPv6 otherwise. */
export function formatIpAddress(bytes: Uint8Array): string {
  if (isMapped(bytes)) return Array.from(bytes.subarray(12)).join('.');
  const groups = Array.from({ length: 8 }, (_, index) => (bytes[index * 2]! << 8) | bytes[index * 2 + 1]!);
  // Compress the longest run of two or more zero groups (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start += 1;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - start > bestLength && end - start >= 2) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * One canonical text per address, so that `::ffff:10.0.0.1`, `10.0.0.1` and `[::FFFF:a00:1]`
 * count as one client. Undefined when the text is no address.
 */
export function canonicalIpAddress(text: string): string | undefined {
  // Every request asks this of its peer's address, and peers are few: remember recent answers.
  if (canonicalCache.has(text)) return canonicalCache.get(text);
  const bytes = parseIpAddress(text);
  const canonical = bytes && formatIpAddress(bytes);
  if (canonicalCache.size >= CANONICAL_CACHE_SIZE) canonicalCache.clear();
  canonicalCache.set(text, canonical);
  return canonical;
}

const CANONICAL_CACHE_SIZE = 4096;
const canonicalCache = new Map<string, string | undefined>();

/** Parses `a.b.c.d/n`, `x:y::/n` or a single address (a /32 or /128 range). */
export function parseIpRange(text: string): IpRange | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const bytes = parseIpAddress(addressText);
  if (!bytes) return undefined;
  const v4 = parseIpv4(addressText) !== undefined;
  const maxBits = v4 ? 32 : 128;
  let bits = maxBits;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    bits = Number(prefixText);
    if (bits > maxBits) return undefined;
  }
  const prefixBits = v4 ? bits + 96 : bits;
  // Host bits set below the prefix are cleared, so 10.1.2.3/8 means 10.0.0.0/8.
  const masked = Uint8Array.from(bytes, (byte, index) => byte & maskByte(prefixBits, index));
  return { text: trimmed, bytes: masked, prefixBits };
}

function maskByte(prefixBits: number, index: number): number {
  const bits = Math.min(8, Math.max(0, prefixBits - index * 8));
  return (0xff << (8 - bits)) & 0xff;
}

/** Whether an address (text or bytes) lies inside a range. */
export function ipInRange(address: string | Uint8Array, range: IpRange): boolean {
  const bytes = typeof address === 'string' ? parseIpAddress(address) : address;
  if (!bytes) return false;
  for (let index = 0; index < 16; index += 1) {
    const mask = maskByte(range.prefixBits, index);
    if (mask === 0) return true;
    if ((bytes[index]! & mask) !== range.bytes[index]) return false;
  }
  return true;
}

/** Whether an address lies inside any of the ranges. */
export function ipInRanges(address: string | Uint8Array, ranges: readonly IpRange[]): boolean {
  if (ranges.length === 0) return false;
  const bytes = typeof address === 'string' ? parseIpAddress(address) : address;
  return bytes !== undefined && ranges.some((range) => ipInRange(bytes, range));
}

/** Parses a comma- or whitespace-separated list of ranges; returns the entries that are not ranges as `bad`. */
export function parseIpRangeList(text: string): { ranges: IpRange[]; bad: string[] } {
  const ranges: IpRange[] = [];
  const bad: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const range = parseIpRange(entry);
    if (range) ranges.push(range);
    else bad.push(entry);
  }
  return { ranges, bad };
}
