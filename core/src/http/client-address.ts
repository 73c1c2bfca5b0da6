import { canonicalIpAddress, ipInRanges, type IpRange } from '../config/index.ts';
import type { HttpContext, HttpMiddleware } from './context.ts';

/**
 * Works out who is on the other end of a request, once, before anything else reads it.
 * `X-Forwarded-For` is believed only when the direct peer is a trusted proxy; then the client is
 * the right-most address in the chain that is not a trusted proxy (everything left of it was
 * written by the client and may be forged). `X-Forwarded-Proto` counts only from a trusted peer.
 */
export function clientAddress(trustedProxies: readonly IpRange[]): HttpMiddleware {
  return async (ctx, next) => {
    const peer = canonicalIpAddress(ctx.req.socket.remoteAddress ?? '') ?? 'unknown';
    const peerTrusted = trustedProxies.length > 0 && ipInRanges(peer, trustedProxies);
    ctx.state.clientAddress = peerTrusted ? forwardedClient(peer, ctx.req.headers['x-forwarded-for'], trustedProxies) : peer;
    const tls = Boolean((ctx.req.socket as { encrypted?: boolean }).encrypted);
    ctx.state.secure = tls || (peerTrusted && forwardedProto(ctx.req.headers['x-forwarded-proto']) === 'https');
    await next();
  };
}

function forwardedClient(peer: string, header: string | string[] | undefined, trusted: readonly IpRange[]): string {
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => hop.trim()).filter(Boolean);
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

function forwardedProto(header: string | string[] | undefined): string | undefined {
  const values = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((value) => value.trim().toLowerCase());
  // The nearest proxy's word counts: it is the one we trust.
  return values.at(-1) || undefined;
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
