import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { HttpMiddleware } from './context.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFilesOptions {
  /** Folder of a built single-page app. */
  root: string;
  /** Paths under these prefixes are never answered with the app (they belong to the API). */
  excludePrefixes: readonly string[];
}

/**
 * Serves a built single-page app: files from `root`, and `index.html` for any other GET so that
 * client-side routes load. Paths are resolved inside `root` only. Hashed assets are cached for a
 * year; `index.html` is always revalidated so a deploy shows at once.
 */
export function staticFiles(options: StaticFilesOptions): HttpMiddleware {
  const root = path.resolve(options.root);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || options.excludePrefixes.some((p) => ctx.path.startsWith(p))) {
      await next();
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path);
    } catch {
      await next();
      return;
    }
    const candidate = path.resolve(root, `.${path.posix.normalize(relative)}`);
    const inside = candidate === root || candidate.startsWith(root + path.sep);
    const file = inside ? await regularFile(candidate) : undefined;
    // Anything that is not a missing asset is a client-side route, also with a dot in it
    // (`/o/acme.inventory.product`, a plugin's object): the app answers it.
    const asset = Object.hasOwn(contentTypes, path.extname(relative).toLowerCase()) || path.extname(relative) === '.map';
    const served = file ?? (asset ? undefined : await regularFile(path.join(root, 'index.html')));
    if (!served) {
      await next();
      return;
    }
    const isIndex = path.basename(served) === 'index.html';
    ctx.type = contentTypes[path.extname(served)] ?? 'application/octet-stream';
    ctx.set('Cache-Control', isIndex ? 'no-cache' : served.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    ctx.body = createReadStream(served);
  };
}

async function regularFile(file: string): Promise<string | undefined> {
  try {
    return (await fs.stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
