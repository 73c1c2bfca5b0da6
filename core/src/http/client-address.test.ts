import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIpRangeList } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import { createHttpApp, createRouter } from './app.ts';
import { clientAddressOf, isSecureRequest, parseForwarded } from './client-address.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Serves a route that echoes what the kernel made of the request, listening on `host`. */
async function echoServer(trusted: string, host = '127.0.0.1'): Promise<string> {
  const router = createRouter();
  router.get('/echo', (ctx) => {
    ctx.body = { client: clientAddressOf(ctx), secure: isSecureRequest(ctx) };
  });
  const app = createHttpApp({
    logger: createLogger({ level: 'silent' }),
    bodyLimitBytes: 1024,
    routes: [{ name: 'echo', router }],
    trustedProxies: parseIpRangeList(trusted).ranges,
  });
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
}

async function echo(url: string, headers: Record<string, string> = {}): Promise<{ client: string; secure: boolean }> {
  return (await fetch(url, { headers })).json() as Promise<{ client: string; secure: boolean }>;
}

describe('clientAddressOf', () => {
  it('ignores X-Forwarded-For and X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
    const url = await echoServer('');
    expect(await echo(url, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' })).toEqual({ client: '127.0.0.1', secure: false });
    const other = await echoServer('10.0.0.0/8');
    expect(await echo(other, { 'x-forwarded-for': '203.0.113.9' })).toEqual({ client: '127.0.0.1', secure: false });
  });

  it('takes the right-most address that is not a trusted proxy when the peer is one', async () => {
    const url = await echoServer('127.0.0.1, 10.0.0.0/8');
    expect((await echo(url, { 'x-forwarded-for': '203.0.113.9' })).client).toBe('203.0.113.9');
    // The client forged the first two hops; the proxy chain appended the real one.
    expect((await echo(url, { 'x-forwarded-for': '1.1.1.1, 6.6.6.6, 203.0.113.9, 10.1.1.1' })).client).toBe('203.0.113.9');
    expect((await echo(url, { 'x-forwarded-for': '2001:DB8::0:1' })).client).toBe('2001:db8::1');
    expect((await echo(url, { 'x-forwarded-for': '::ffff:198.51.100.4' })).client).toBe('198.51.100.4');
    // Every hop is a trusted proxy: the left-most is as close to the client as we can tell.
    expect((await echo(url, { 'x-forwarded-for': '10.2.2.2, 10.1.1.1' })).client).toBe('10.2.2.2');
    // No header: the proxy itself.
    expect((await echo(url)).client).toBe('127.0.0.1');
    // A malformed hop stops the walk at the last readable one.
    expect((await echo(url, { 'x-forwarded-for': 'garbage, 10.1.1.1' })).client).toBe('10.1.1.1');
  });

  it('believes X-Forwarded-Proto from a trusted proxy only, the nearest value counting', async () => {
    const url = await echoServer('127.0.0.1');
    expect((await echo(url, { 'x-forwarded-proto': 'https' })).secure).toBe(true);
    expect((await echo(url, { 'x-forwarded-proto': 'https, http' })).secure).toBe(false);
    expect((await echo(url, { 'x-forwarded-proto': 'http' })).secure).toBe(false);
  });

  it('reads the standard Forwarded header (RFC 7239) from a trusted proxy, before X-Forwarded-For', async () => {
    const url = await echoServer('127.0.0.1, 10.0.0.0/8');
    expect(await echo(url, { forwarded: 'for=203.0.113.9;proto=https' })).toEqual({ client: '203.0.113.9', secure: true });
    // Quoted IPv6 with a port, the client's forged element on the left, a trusted hop on the right.
    expect((await echo(url, { forwarded: 'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=10.1.1.1' })).client).toBe('2001:db8:cafe::17');
    expect((await echo(url, { forwarded: 'for="198.51.100.7:8080"' })).client).toBe('198.51.100.7');
    expect((await echo(url, { Forwarded: 'FOR=192.0.2.60;PROTO=http;BY=203.0.113.43' })).client).toBe('192.0.2.60');
    // An obfuscated or unknown node ends the walk: the last address we could read is the client.
    expect((await echo(url, { forwarded: 'for=_hidden, for=10.1.1.1' })).client).toBe('10.1.1.1');
    expect((await echo(url, { forwarded: 'for=unknown' })).client).toBe('127.0.0.1');
    // Forwarded wins over X-Forwarded-For when both are sent; proto comes from the nearest element.
    expect(await echo(url, { forwarded: 'for=203.0.113.9;proto=http', 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https' })).toEqual({ client: '203.0.113.9', secure: false });
    // Malformed: treated as absent, so X-Forwarded-For (if any) or the peer counts.
    expect((await echo(url, { forwarded: 'for=203.0.113.9;;garbage', 'x-forwarded-for': '198.51.100.1' })).client).toBe('198.51.100.1');
    expect((await echo(url, { forwarded: 'for="unterminated' })).client).toBe('127.0.0.1');
    // From a peer that is not trusted, ignored.
    const untrusted = await echoServer('');
    expect(await echo(untrusted, { forwarded: 'for=203.0.113.9;proto=https' })).toEqual({ client: '127.0.0.1', secure: false });
  });

  it('parses Forwarded elements without ever throwing', () => {
    expect(parseForwarded('for=192.0.2.43, for="[2001:db8:cafe::17]"')).toEqual([{ for: '192.0.2.43' }, { for: '2001:db8:cafe::17' }]);
    expect(parseForwarded('for="\\"quoted\\""')).toEqual([{ for: '"quoted"' }]);
    expect(parseForwarded(undefined)).toBeUndefined();
    expect(parseForwarded('')).toBeUndefined();
    expect(parseForwarded('x'.repeat(5000))).toBeUndefined();
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const parsed = parseForwarded(text);
      expect(parsed === undefined || Array.isArray(parsed)).toBe(true);
    }));
  });

  it('matches an IPv4 trusted proxy against a peer seen as IPv4-mapped IPv6', async () => {
    // Listening on :: makes IPv4 peers arrive as ::ffff:127.0.0.1.
    const url = await echoServer('127.0.0.1/32', '::');
    expect(await echo(url, { 'x-forwarded-for': '203.0.113.50' })).toEqual({ client: '203.0.113.50', secure: false });
    const untrusted = await echoServer('', '::');
    expect((await echo(untrusted, { 'x-forwarded-for': '203.0.113.50' })).client).toBe('127.0.0.1');
  });
});
