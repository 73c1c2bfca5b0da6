import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, pluginFetch, type PluginFetchOptions } from './plugin-http-fetch.ts';

// Test plan row 13: SSRF through http.fetch. A local DNS stub answers for the test hosts; a
// local server redirects. Only `good.test:<port>` is allow-listed (plain http, internal address):
// everything else must be https to a public address, on every hop.

let server: http.Server;
let port: number;
const lookups: string[] = [];
const dns: Record<string, string[]> = {
  'good.test': ['127.0.0.1'],
  'evil.test': ['10.0.0.5'],
  'localhost': ['127.0.0.1'],
  'rebind.test': ['93.184.216.34', '192.168.1.1'],
};

const options = (extra: Partial<PluginFetchOptions> = {}): PluginFetchOptions => ({
  resolve: async (hostname) => {
    lookups.push(hostname);
    const answer = dns[hostname];
    if (!answer) throw new Error('NXDOMAIN');
    return answer;
  },
  allowInternal: [`good.test:${port}`],
  isGranted: () => true,
  maxResponseBytes: 1024,
  timeoutMs: 2000,
  ...extra,
});

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const target: Record<string, string> = {
      '/internal': `http://127.0.0.1:${port}/ok`,
      '/evil': 'https://evil.test/',
      '/loop': `http://good.test:${port}/loop`,
      '/metadata': 'http://169.254.169.254/latest/meta-data/',
      '/relative': '/ok',
    };
    if (request.url === '/ok') {
      response.end(`hello ${request.headers.host}`);
    } else if (request.url === '/big') {
      response.end('x'.repeat(5000));
    } else if (target[request.url ?? '']) {
      response.writeHead(302, { location: target[request.url!] });
      response.end();
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.close();
});

describe('internal addresses', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1',
    '::1', '::', 'fe80::1', 'fd00::1', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:7f00:1::',
  ])('%s is internal', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    'http://2130706433/', 'http://0x7f000001/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/',
    'https://[0:0:0:0:0:ffff:7f00:1]/', 'https://localhost./', 'https://localhost/', 'https://evil.test/', 'https://rebind.test/', 'https://169.254.169.254/',
    'https://0x7f.1/',
  ])('refuses %s, however spelt', async (url) => {
    await expect(pluginFetch(url, {}, options())).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});

it('refuses a zoned IPv6 literal (not even a URL)', async () => {
  await expect(pluginFetch('https://[fe80::1%25eth0]/', {}, options())).rejects.toMatchObject({ code: 'BAD_REQUEST' });
});

describe('allowed hosts and redirects', () => {
  it('fetches an allowed host, connecting to the address the stub resolved (pinned)', async () => {
    lookups.length = 0;
    const response = await pluginFetch(`http://good.test:${port}/ok`, {}, options());
    expect(response).toMatchObject({ status: 200, body: `hello good.test:${port}` });
    expect(lookups).toEqual(['good.test']);
  });

  it('follows a relative redirect on the same allowed host', async () => {
    expect((await pluginFetch(`http://good.test:${port}/relative`, {}, options())).body).toContain('hello');
  });

  it.each(['/internal', '/evil', '/metadata'])('re-checks every hop: a redirect to %s is refused', async (path) => {
    await expect(pluginFetch(`http://good.test:${port}${path}`, {}, options())).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('stops after five redirects', async () => {
    await expect(pluginFetch(`http://good.test:${port}/loop`, {}, options())).rejects.toMatchObject({ code: 'PERMISSION_DENIED', details: { reason: 'more than 5 redirects' } });
  });

  it('checks the grant on every hop', async () => {
    const granted = (url: string) => url.endsWith('/relative');
    await expect(pluginFetch(`http://good.test:${port}/relative`, {}, options({ isGranted: granted }))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('refuses plain http to a host not on the allow-list, and caps the response size', async () => {
    dns['public.test'] = ['93.184.216.34'];
    await expect(pluginFetch('http://public.test/', {}, options())).rejects.toMatchObject({ code: 'PERMISSION_DENIED', details: { reason: 'only https is allowed' } });
    await expect(pluginFetch(`http://good.test:${port}/big`, {}, options())).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
