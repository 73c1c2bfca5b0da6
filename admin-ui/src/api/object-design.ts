import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { ApiError } from './api-error.ts';
import { requestJson, requestWithHeaders, sendJson, type JsonAnswer } from './http-client.ts';

/** An object definition as the designer edits it, with the ETag a change sends in `If-Match`. */
export interface DesignedObject {
  object: ObjectDefinition;
  version: number;
  etag: string;
}

/** What a field's type change would do to the values already stored. */
export interface ConversionReport {
  total: number;
  converted: number;
  unconvertible: number;
  samples: Array<{ id: string; value: string | null }>;
}

/** The answer of a preview: the table changes in words and, per retyped field, its conversion. */
export interface FieldChangePreview {
  steps: string[];
  conversions: Array<{ field: string; report: ConversionReport }>;
}

const objectsPath = '/api/v1/meta/objects';
const objectPath = (name: string) => `${objectsPath}/${encodeURIComponent(name)}`;
const fieldPath = (object: string, field: string) => `${objectPath(object)}/fields/${encodeURIComponent(field)}`;

function designed(answer: JsonAnswer): DesignedObject {
  const body = answer.body as { object?: ObjectDefinition; version?: number };
  if (body.object === undefined || typeof body.version !== 'number') throw new ApiError({ code: 'UNEXPECTED_RESPONSE', message: 'A definition came without its version' });
  return { object: body.object, version: body.version, etag: answer.headers.get('ETag') ?? `"${body.version}"` };
}

/** Every object definition, for designers (with `designObjects`, all fields of all objects). */
export async function fetchDesignedObjects(signal?: AbortSignal): Promise<Array<ObjectDefinition & { version: number }>> {
  const body = (await requestJson(objectsPath, signal === undefined ? {} : { signal })) as { objects: Array<ObjectDefinition & { version: number }> };
  return body.objects;
}

/** One definition with its ETag: `GET /api/v1/meta/objects/:name`. */
export async function fetchDesignedObject(name: string, signal?: AbortSignal): Promise<DesignedObject> {
  return designed(await requestWithHeaders(objectPath(name), signal === undefined ? {} : { signal }));
}

/** Creates an object: `POST /api/v1/meta/objects`. */
export async function createObjectDefinition(object: ObjectDefinition): Promise<DesignedObject> {
  return designed(await sendJson(objectsPath, 'POST', object));
}

/**
 * Replaces an object's definition (labels, sharing, title, field order…). `etag` is the version
 * the admin edited: `412 PRECONDITION_FAILED` when it changed since, with the current one in
 * `details.current`.
 */
export async function replaceObjectDefinition(object: ObjectDefinition, etag: string): Promise<DesignedObject> {
  return designed(await sendJson(objectPath(object.name), 'PUT', object, { headers: { 'If-Match': etag } }));
}

/** Adds a field at the end of the object. */
export async function addFieldDefinition(object: string, field: FieldDefinition): Promise<DesignedObject> {
  return designed(await sendJson(`${objectPath(object)}/fields`, 'POST', field));
}

/** Replaces one field (its name stays). */
export async function replaceFieldDefinition(object: string, field: FieldDefinition): Promise<DesignedObject> {
  return designed(await sendJson(fieldPath(object, field.name), 'PUT', field));
}

/** What replacing the field would do (a type change converts values), without changing anything. */
export async function previewFieldChange(object: string, field: FieldDefinition): Promise<FieldChangePreview> {
  return (await sendJson(`${fieldPath(object, field.name)}/preview`, 'POST', field)).body as FieldChangePreview;
}

/** Deletes a field: hidden at once, its values kept (restorable) for the retention period. */
export async function deleteFieldDefinition(object: string, field: string): Promise<DesignedObject> {
  return designed(await requestWithHeaders(fieldPath(object, field), { method: 'DELETE' }));
}

/** Brings back a deleted field with its values. */
export async function restoreFieldDefinition(object: string, field: string): Promise<DesignedObject> {
  return designed(await sendJson(`${fieldPath(object, field)}/restore`, 'POST', {}));
}
