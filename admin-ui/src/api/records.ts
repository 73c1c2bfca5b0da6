import type { Filter } from '@daicho/sdk';
import { ApiError } from './api-error.ts';
import { requestWithHeaders, sendJson } from './http-client.ts';

/** A record as the records API returns it: system fields plus the object's fields. */
export interface RecordData {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  [field: string]: unknown;
}

/** A record with the ETag that a change must send back in `If-Match`. */
export interface VersionedRecord {
  record: RecordData;
  etag: string;
}

/** What a list request asks for. */
export interface ListRecordsQuery {
  filter?: Filter | undefined;
  /** `closeDate,-amount`. */
  sort?: string | undefined;
  fields?: string[] | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
  count?: boolean | undefined;
}

/** One page of records. */
export interface RecordPage {
  records: RecordData[];
  nextCursor?: string;
  total?: number;
}

const recordsPath = (object: string) => `/api/v1/records/${encodeURIComponent(object)}`;

/** The query string shared by the list and the CSV export. */
export function listSearchParams(query: ListRecordsQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.filter !== undefined) params.set('filter', JSON.stringify(query.filter));
  if (query.sort !== undefined && query.sort !== '') params.set('sort', query.sort);
  if (query.fields !== undefined && query.fields.length > 0) params.set('fields', query.fields.join(','));
  if (query.cursor !== undefined) params.set('cursor', query.cursor);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.count === true) params.set('count', 'true');
  return params;
}

/** One page of an object's records: `GET /api/v1/records/:object`. */
export async function listRecords(object: string, query: ListRecordsQuery, signal?: AbortSignal): Promise<RecordPage> {
  const { body } = await requestWithHeaders(`${recordsPath(object)}?${listSearchParams(query)}`, signal === undefined ? {} : { signal });
  return body as RecordPage;
}

/** Where the browser downloads the records matching a list as CSV (the session cookie goes along). */
export function exportCsvUrl(object: string, query: Pick<ListRecordsQuery, 'filter' | 'sort' | 'fields'>): string {
  const params = listSearchParams(query);
  const search = params.toString();
  return `${recordsPath(object)}/export.csv${search === '' ? '' : `?${search}`}`;
}

/** A record with its ETag. */
export async function getRecord(object: string, id: string, signal?: AbortSignal): Promise<VersionedRecord> {
  return versioned(await requestWithHeaders(`${recordsPath(object)}/${encodeURIComponent(id)}`, signal === undefined ? {} : { signal }));
}

/** Creates a record: `POST /api/v1/records/:object`. */
export async function createRecord(object: string, values: Record<string, unknown>): Promise<VersionedRecord> {
  return versioned(await sendJson(recordsPath(object), 'POST', values));
}

/**
 * Changes the fields in `changes`. `etag` is the version the user edited (`412 PRECONDITION_FAILED`
 * when someone changed it since, with the current record in `details.current`), or `*` to
 * overwrite whatever is there.
 */
export async function updateRecord(object: string, id: string, changes: Record<string, unknown>, etag: string): Promise<VersionedRecord> {
  return versioned(await sendJson(`${recordsPath(object)}/${encodeURIComponent(id)}`, 'PATCH', changes, { headers: { 'If-Match': etag } }));
}

function versioned(answer: { body: unknown; headers: Headers }): VersionedRecord {
  const record = answer.body as RecordData;
  const etag = answer.headers.get('ETag') ?? (typeof record?.version === 'number' ? `"${record.version}"` : null);
  if (etag === null) throw new ApiError({ code: 'UNEXPECTED_RESPONSE', message: 'A record came without a version' });
  return { record, etag };
}
