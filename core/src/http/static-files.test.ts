import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFiles } from './static-files.ts';

describe('staticFiles (the single-page app)', () => {
  let root: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'daicho-static-'));
    await mkdir(path.join(root, 'assets'));
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(path.join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    const app = new Koa();
    app.use(staticFiles({ root, excludePrefixes: ['/api/'] }));
    app.use((ctx) => {
      ctx.status = 404;
      ctx.body = 'not found';
    });
    server = http.createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  const get = async (pathname: string) => {
    const response = await fetch(`${base}${pathname}`);
    return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), body: await response.text() };
  };

  it.each(['/', '/o/deal', '/o/deal/0190f5a0-0000-7000-8000-000000000001', '/o/acme.inventory.product', '/o/acme.inventory.product/123', '/status'])('answers the client-side route %s with the app', async (pathname) => {
    const response = await get(pathname);
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html; charset=utf-8');
    expect(response.cache).toBe('no-cache');
  });

  it('serves hashed assets for a year, and lets a missing asset be a 404', async () => {
    expect(await get('/assets/app-1234.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', cache: 'public, max-age=31536000, immutable' });
    expect((await get('/assets/missing-5678.js')).status).toBe(404);
    expect((await get('/favicon.ico')).status).toBe(404);
  });

  it('never answers API paths, and never leaves its folder', async () => {
    expect((await get('/api/v1/nothing')).status).toBe(404);
    expect((await get('/..%2f..%2fetc%2fpasswd')).body).not.toContain('root:');
  });
});
