import { DaichoError, errors } from '../errors/index.ts';
import type { ListRecordsQuery } from '../records/index.ts';

export type QueryString = Record<string, string | string[] | undefined>;

/** A query parameter given at most once (400 when repeated). */
export function single(query: QueryString, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw errors.invalidQuery(name, 'must be given once');
  return value;
}

/** Keyset paging parameters: `cursor` and `limit` (a whole number), read with `read`. */
export function parsePage(query: QueryString, read: (query: QueryString, name: string) => string | undefined = single): { cursor?: string; limit?: number } {
  const page: { cursor?: string; limit?: number } = {};
  const cursor = read(query, 'cursor');
  if (cursor !== undefined) page.cursor = cursor;
  const limit = read(query, 'limit');
  if (limit !== undefined) {
    if (!/^\d{1,6}$/.test(limit)) throw errors.invalidQuery('limit', 'must be a whole number');
    page.limit = Number(limit);
  }
  return page;
}

const list = (value: string | undefined) => (value === undefined || value === '' ? undefined : value.split(',').map((part) => part.trim()).filter(Boolean));

/**
 * Reads list parameters from a query string: `filter` (the filter language as JSON), `sort`
 * (`closeDate,-amount`), `fields` and `expand` (comma lists), `cursor`, `limit`, `count`, `deleted`.
 */
export function parseListQuery(query: QueryString): ListRecordsQuery {
  const result: ListRecordsQuery = {};
  const filter = single(query, 'filter');
  if (filter !== undefined) {
    try {
      result.filter = JSON.parse(filter);
    } catch {
      throw new DaichoError('INVALID_FILTER', 'The filter must be JSON in the filter language', { details: { problems: [{ path: '', code: 'json', message: 'is not valid JSON' }] } });
    }
  }
  const sort = list(single(query, 'sort'));
  if (sort) result.sort = sort.map((entry) => (entry.startsWith('-') ? { field: entry.slice(1), direction: 'desc' as const } : { field: entry, direction: 'asc' as const }));
  const fields = list(single(query, 'fields'));
  if (fields) result.fields = fields;
  const expand = list(single(query, 'expand'));
  if (expand) result.expand = expand;
  // fields.<lookup>=a,b chooses the fields of an expanded lookup.
  for (const key of Object.keys(query)) {
    const match = /^fields\.([a-zA-Z][\w.]*)$/.exec(key);
    if (match) (result.expandFields ??= {})[match[1]!] = list(single(query, key)) ?? [];
  }
  Object.assign(result, parsePage(query));
  const flag = (name: string) => {
    const value = single(query, name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw errors.invalidQuery(name, 'must be true or false');
    return value === 'true';
  };
  const count = flag('count');
  if (count !== undefined) result.count = count;
  const deleted = flag('deleted');
  if (deleted !== undefined) result.deleted = deleted;
  return result;
}

/** The same parameters from a JSON body (POST …/query), for filters too long for a URL. */
export function parseListBody(body: unknown): ListRecordsQuery {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be a JSON object' }]);
  const { filter, sort, fields, expand, cursor, limit, count, deleted, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw errors.validationFailed(unknown.map((key) => ({ path: `/${key}`, code: 'unknownField', message: 'is not a known property' })));
  const query: ListRecordsQuery = {};
  if (filter !== undefined) query.filter = filter;
  if (sort !== undefined) {
    if (!Array.isArray(sort) || sort.some((entry) => typeof entry?.field !== 'string')) throw errors.invalidSort('', 'must be an array of { field, direction }');
    query.sort = sort as ListRecordsQuery['sort'];
  }
  const strings = (value: unknown, name: string) => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw errors.invalidQuery(name, 'must be an array of field names');
    return value as string[];
  };
  if (fields !== undefined) query.fields = strings(fields, 'fields');
  if (expand !== undefined) query.expand = strings(expand, 'expand');
  if (cursor !== undefined) {
    if (typeof cursor !== 'string') throw errors.invalidQuery('cursor', 'must be a string');
    query.cursor = cursor;
  }
  if (limit !== undefined) {
    if (typeof limit !== 'number') throw errors.invalidQuery('limit', 'must be a number');
    query.limit = limit;
  }
  if (count !== undefined) query.count = Boolean(count);
  if (deleted !== undefined) query.deleted = Boolean(deleted);
  return query;
}
