import type { FieldAccess, ObjectAction, ObjectDefinition } from '@daicho/sdk';
import { requestJson } from './http-client.ts';

/** One object as `GET /api/v1/auth/me/access` reports the caller's access to it. */
export interface ObjectAccess {
  actions: ObjectAction[];
  fields: Record<string, FieldAccess>;
  records: { read: string; write: string };
}

/** The caller's effective access: `GET /api/v1/auth/me/access`. */
export interface AccessSummary {
  isAdmin: boolean;
  roleName: string | null;
  capabilities: string[];
  objects: Record<string, ObjectAccess>;
}

/** The object definitions the caller may see: `GET /api/v1/meta/objects`. */
export async function fetchObjects(signal?: AbortSignal): Promise<ObjectDefinition[]> {
  const body = (await requestJson('/api/v1/meta/objects', signal === undefined ? {} : { signal })) as { objects: ObjectDefinition[] };
  return body.objects;
}

/** What the caller may do with each object and field. */
export async function fetchAccess(signal?: AbortSignal): Promise<AccessSummary> {
  return (await requestJson('/api/v1/auth/me/access', signal === undefined ? {} : { signal })) as AccessSummary;
}
