import { errors } from '../errors/index.ts';
import type { HttpContext } from '../http/index.ts';

/** ETags are the record's (or definition's) version, quoted: `"7"`. */
export function setEtag(ctx: HttpContext, version: number): void {
  ctx.set('ETag', `"${version}"`);
}

/**
 * The version an If-Match header names: a number, `'*'` (any version: the client explicitly
 * accepts overwriting), or undefined when absent.
 */
export function etagVersion(ctx: HttpContext): number | '*' | undefined {
  const header = ctx.get('if-match').trim();
  if (header === '') return undefined;
  if (header === '*') return '*';
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header);
  if (!match) throw errors.badRequest('If-Match must be an ETag from this API, such as "3"', { header: 'If-Match' });
  return Number(match[1]);
}
