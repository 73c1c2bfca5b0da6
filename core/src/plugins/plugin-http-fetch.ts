import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DaichoError, errors } from '../errors/index.ts';

/** Addresses a plugin never reaches: private, loopback, link-local, CGNAT, unique-local, multicast, unspecified, reserved. */
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blockedV4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128],
  // IPv4-mapped, IPv4-compatible, NAT64 and 6to4 addresses carry an IPv4 address inside: refused whole.
  ['::ffff:0:0', 96], ['::', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2002::', 16],
  ['100::', 64], ['2001:db8::', 32], ['2001::', 23], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blockedV6.addSubnet(network, prefix, 'ipv6');

/** Whether a plugin may connect to this (literal) address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !blockedV4.check(address, 'ipv4') : !blockedV6.check(address, 'ipv6');
}

/** Resolves a host name to its addresses (injectable: tests use a stub). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

const systemResolve: ResolveHost = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface PluginFetchOptions {
  resolve?: ResolveHost;
  /**
   * `host:port` pairs reached over plain http and exempt from the address check: for tests and
   * for an intranet service an operator allows explicitly (DAICHO_PLUGIN_HTTP_ALLOW).
   */
  allowInternal?: readonly string[];
  /** Whether a URL (each redirect hop) is covered by the plugin's grants. */
  isGranted(url: string): boolean;
  maxRedirects?: number;
  maxResponseBytes?: number;
  timeoutMs?: number;
}

export interface PluginFetchRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PluginFetchResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const forbiddenHeaders = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'proxy-connection', 'keep-alive', 'te', 'trailer']);

function refused(url: string, reason: string, details: Record<string, unknown> = {}): DaichoError {
  return errors.permissionDenied(`The plugin may not fetch ${url}: ${reason}`, { permission: `http.fetch:${url}`, reason, ...details });
}

/** The address to connect to, checked; throws when the host resolves to anything internal. */
async function checkedAddress(url: URL, options: PluginFetchOptions): Promise<{ address: string; internalAllowed: boolean }> {
  // URL parsing already canonicalises IPv4 spellings (decimal, octal, hex, short forms): `http://2130706433/` is 127.0.0.1.
  let hostname = url.hostname.replace(/^\[|\]$/g, '');
  while (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  if (hostname === '') throw refused(url.href, 'no host');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const literal = isIP(hostname) !== 0;
  const addresses = literal ? [hostname] : await (options.resolve ?? systemResolve)(hostname).catch(() => {
    throw refused(url.href, 'the host does not resolve', { host: hostname });
  });
  if (addresses.length === 0) throw refused(url.href, 'the host does not resolve', { host: hostname });
  const internalAllowed = (options.allowInternal ?? []).includes(`${hostname}:${port}`);
  // Every address must be public: a host answering with one public and one private address would otherwise be a coin toss.
  for (const address of addresses) {
    if (!internalAllowed && !isPublicAddress(address)) throw refused(url.href, 'the host resolves to an internal address', { host: hostname, address });
  }
  return { address: addresses[0]!, internalAllowed };
}

/**
 * `http.fetch` for plugins: https only (http only to an explicit allow-list), each hop's URL
 * checked against the grants, its host resolved here and every address checked, and the
 * connection made to that checked address (pinned through `lookup`, so a second DNS answer
 * cannot differ). Redirects are followed by hand, at most five, each hop checked again. The
 * response is capped in size and the whole exchange in time.
 */
export async function pluginFetch(rawUrl: string, request: PluginFetchRequest, options: PluginFetchOptions): Promise<PluginFetchResponse> {
  const maxRedirects = options.maxRedirects ?? 5;
  let method = (request.method ?? 'GET').toUpperCase();
  let body = request.body;
  let current = rawUrl;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (let hop = 0; ; hop++) {
    let url: URL;
    try {
      url = new URL(current);
    } catch {
      throw errors.badRequest(`Not a URL: ${current.slice(0, 200)}`);
    }
    if (url.username || url.password) throw refused(url.href, 'credentials in the URL');
    if (!options.isGranted(url.href)) throw refused(url.href, 'no http.fetch permission covers this URL');
    const { address, internalAllowed } = await checkedAddress(url, options);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && internalAllowed)) throw refused(url.href, 'only https is allowed');
    const response = await send(url, address, method, request.headers ?? {}, body, { deadline, maxBytes: options.maxResponseBytes ?? 1_048_576 });
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(response.status) && location) {
      if (hop >= maxRedirects) throw refused(url.href, `more than ${maxRedirects} redirects`);
      current = new URL(location, url).href;
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    return response;
  }
}

function send(url: URL, address: string, method: string, headers: Record<string, string>, body: string | undefined, limits: { deadline: number; maxBytes: number }): Promise<PluginFetchResponse> {
  const family = isIP(address);
  // The connection goes to the address checked above, whatever a resolver would answer now.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const outgoing: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!forbiddenHeaders.has(name.toLowerCase()) && typeof value === 'string') outgoing[name] = value;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const remaining = limits.deadline - Date.now();
    if (remaining <= 0) {
      reject(errors.serviceUnavailable(`${url.host}`, 1));
      return;
    }
    const req = client.request(url, { method, headers: outgoing, lookup, servername: url.hostname, agent: false, timeout: remaining }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          req.destroy();
          reject(errors.badRequest(`The response from ${url.host} exceeds ${limits.maxBytes} bytes`, { limitBytes: limits.maxBytes }));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), remaining);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => reject(error.message === 'timeout' ? errors.serviceUnavailable(url.host, 1, error) : errors.serviceUnavailable(url.host, 1, error)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}
