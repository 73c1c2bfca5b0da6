import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRouter, type HttpContext, type RouteMount } from '../http/index.ts';

interface Asset {
  body: string;
  type: string;
  etag: string;
}

function loadAsset(file: string, type: string): Asset {
  const body = readFileSync(new URL(`./reference/${file}`, import.meta.url), 'utf8');
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

/**
 * The browsable API reference at `/api/v1/reference`: a static page, script and stylesheet that
 * fetch the workspace's `/api/v1/openapi.json` in the browser and render it. The page itself
 * holds no workspace data, so it needs no session; the document it fetches does (the browser's
 * session cookie, or a bearer token the reader pastes, kept in sessionStorage only). No inline
 * script: the Content-Security-Policy (script-src 'self') applies unchanged.
 */
export function referenceRoutes(): RouteMount {
  const assets = {
    page: loadAsset('reference.html', 'text/html; charset=utf-8'),
    script: loadAsset('reference.js', 'text/javascript; charset=utf-8'),
    style: loadAsset('reference.css', 'text/css; charset=utf-8'),
  };
  const serve = (asset: Asset) => async (ctx: HttpContext) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('ETag', asset.etag);
    ctx.type = asset.type;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = asset.body;
  };
  const router = createRouter({ prefix: '/api/v1/reference' });
  router.get('/', serve(assets.page));
  router.get('/reference.js', serve(assets.script));
  router.get('/reference.css', serve(assets.style));
  return { name: 'reference', router };
}
