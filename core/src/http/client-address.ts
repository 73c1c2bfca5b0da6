import { canonicalIpAddress, ipInRanges, type IpRange } from '../config/index.ts';
import type { HttpContext, HttpMiddleware } from './context.ts';

/**
 * Works out who is on the other end of a request, once, before anything else reads it.
 * Forwarding headers are believed only when the direct peer is a trusted proxy: the standard
 * `Forwarded` (RFC 7239) when present, else `X-Forwarded-For` / `X-Forwarded-Proto`. The client is
 * then the right-most address in the chain that is not a trusted proxy (everything left of it was
 * written by the client and may be forged).
 */
export function clientAddress(trustedProxies: readonly IpRange[]): HttpMiddleware {
  return async (ctx, next) => {
    const peer = canonicalIpAddress(ctx.req.socket.remoteAddress ?? '') ?? 'unknown';
    const peerTrusted = trustedProxies.length > 0 && ipInRanges(peer, trustedProxies);
    const standard = peerTrusted ? parseForwarded(ctx.req.headers.forwarded) : undefined;
    const hops = standard ? standard.map((element) => element.for ?? '') : splitList(ctx.req.headers['x-forwarded-for']);
    ctx.state.clientAddress = peerTrusted ? forwardedClient(peer, hops, trustedProxies) : peer;
    const tls = Boolean((ctx.req.socket as { encrypted?: boolean }).encrypted);
    // The nearest proxy's word counts: it is the one we trust.
    const proto = standard ? standard.at(-1)?.proto : splitList(ctx.req.headers['x-forwarded-proto']).at(-1);
    ctx.state.secure = tls || (peerTrusted && proto?.toLowerCase() === 'https');
    await next();
  };
}

function splitList(header: string | string[] | undefined): string[] {
  return (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((value) => value.trim()).filter(Boolean);
}

function forwardedClient(peer: string, hops: readonly string[], trusted: readonly IpRange[]): string {
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const address = canonicalIpAddress(hops[index]!);
    // A malformed hop was passed on by a trusted proxy: the last hop we could read is the client.
    if (address === undefined) return client;
    client = address;
    if (!ipInRanges(address, trusted)) return client;
  }
  return client;
}

/**
 * The elements of a `Forwarded` header (RFC 7239), nearest proxy last: `for` as a bare address
 * (brackets and port removed; `unknown` and obfuscated `_names` kept, so that they read as no
 * address), and `proto`. Undefined when the header is absent or malformed, in which case the
 * request is treated as if it had none: a malformed header from a trusted proxy is its bug, and
 * guessing would let a client's part of it through.
 */
export function parseForwarded(header: string | string[] | undefined): Array<{ for?: string; proto?: string }> | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text || text.length > 4096) return undefined;
  const elements: Array<{ for?: string; proto?: string }> = [];
  // token=value pairs separated by ';' within an element, elements by ','; values are tokens or quoted strings.
  const pair = /\s*([A-Za-z][A-Za-z0-9_-]*)=("(?:[^"\\]|\\.)*"|[!#$%&'*+.^_`|~0-9A-Za-z:-]+)\s*([;,]|$)/y;
  let element: { for?: string; proto?: string } = {};
  let position = 0;
  while (position < text.length) {
    pair.lastIndex = position;
    const match = pair.exec(text);
    if (!match) return undefined;
    const name = match[1]!.toLowerCase();
    const raw = match[2]!;
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (name === 'for') element.for = forNode(value);
    else if (name === 'proto') element.proto = value;
    position = pair.lastIndex;
    if (match[3] !== ';') {
      elements.push(element);
      element = {};
    }
  }
  return elements.length > 0 ? elements : undefined;
}

/** `for=` node: `192.0.2.1`, `192.0.2.1:8080`, `[2001:db8::1]`, `[2001:db8::1]:443`, `unknown`, `_hidden`. */
function forNode(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value);
  return v4WithPort ? v4WithPort[1]! : value;
}

/**
 * The address of the client that sent the request (see {@link clientAddress}): the one value to
 * use for throttling, IP allow-lists and audit entries. IPv4 peers read as dotted quads, also
 * when they arrive as IPv4-mapped IPv6.
 */
export function clientAddressOf(ctx: HttpContext): string {
  return ctx.state.clientAddress;
}

/** Whether the request reached us over TLS, directly or through a trusted proxy. */
export function isSecureRequest(ctx: HttpContext): boolean {
  return ctx.state.secure;
}
