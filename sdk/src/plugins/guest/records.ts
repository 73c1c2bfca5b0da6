import type { Filter, SortDirection } from '../../definitions/index.ts';
import type { JsonValue } from '../contract.ts';

/**
 * Field values of one object's records, by field name. The default when objects are not typed.
 *
 * @example
 * const values: RecordValues = { title: 'Deal', amount: 1200 };
 */
export type RecordValues = Record<string, JsonValue>;

/**
 * Maps object API names to the shape of their records' field values. Generate it for the objects
 * a plugin contributes with `daicho-plugin types` (written to `src/daicho-objects.d.ts`).
 *
 * @example
 * interface MyObjects { 'acme.hello.greeting': { message: string; count?: number } }
 * const plugin = definePlugin<MyObjects>({ hooks: { 'acme.hello.greeting': { beforeCreate: ({ record }) => ({ set: { count: 1 } }) } } });
 */
export type ObjectRecordTypes = object;

/**
 * The record values of `Name` in `Objects` (untyped values when the map says nothing usable).
 *
 * @example
 * type Greeting = ObjectValues<DaichoObjects, 'acme.hello.greeting'>; // { person?: string | null; … }
 */
export type ObjectValues<Objects extends ObjectRecordTypes, Name extends keyof Objects> = Objects[Name] extends object ? Objects[Name] : RecordValues;

/**
 * Any object name maps to untyped values: what `PluginContext` uses without a type argument.
 *
 * @example
 * const ctx: PluginContext<UntypedObjects> = …; // ctx.records takes any object name
 */
export type UntypedObjects = Record<string, RecordValues>;

/**
 * The system fields every stored record carries.
 *
 * @example
 * const { id, version }: SystemFields = await ctx.records.create('deal', { title: 'x' });
 */
export interface SystemFields {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  ownerId: string | null;
}

/**
 * A record as the host returns it: its field values and the system fields.
 *
 * @example
 * const greeting: StoredRecord<{ message: string }> = await ctx.records.get('acme.hello.greeting', id);
 */
export type StoredRecord<Values extends object = RecordValues> = Values & SystemFields;

/**
 * The options of `ctx.records.list`, as `records.list` takes them.
 *
 * @example
 * const options: ListRecordsOptions = { filter: { field: 'stage', op: 'eq', value: 'won' }, sort: [{ field: 'amount', direction: 'desc' }], limit: 20 };
 */
export interface ListRecordsOptions {
  /** A filter in the filter language. */
  filter?: Filter;
  sort?: Array<{ field: string; direction: SortDirection }>;
  /** 1–500, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * One page of `ctx.records.list`.
 *
 * @example
 * for (let page = await ctx.records.list('deal'); ; page = await ctx.records.list('deal', { cursor: page.nextCursor! })) { if (!page.nextCursor) break; }
 */
export interface RecordPage<Values extends object = RecordValues> {
  records: Array<StoredRecord<Values>>;
  nextCursor: string | null;
}

/**
 * `ctx.records`: the records of objects the plugin was granted (`records.read:<object>` to read,
 * `records.write:<object>` to create, update and delete), with the access of the user on whose
 * behalf the plugin runs. A refused call throws an Error with `code` (e.g. `PERMISSION_DENIED`).
 *
 * @example
 * const page = await ctx.records.list('acme.hello.greeting', { filter: { field: 'message', op: 'eq', value: 'hi' }, limit: 10 });
 * const created = await ctx.records.create('acme.hello.greeting', { message: 'hello' });
 * await ctx.records.update('acme.hello.greeting', created.id, { message: 'hi' }, created.version);
 */
export interface RecordsApi<Objects extends ObjectRecordTypes = UntypedObjects> {
  /** The record, or null when it does not exist or the user may not read it. */
  get<Name extends keyof Objects & string>(object: Name, id: string): Promise<StoredRecord<ObjectValues<Objects, Name>> | null>;
  list<Name extends keyof Objects & string>(object: Name, options?: ListRecordsOptions): Promise<RecordPage<ObjectValues<Objects, Name>>>;
  create<Name extends keyof Objects & string>(object: Name, values: Partial<ObjectValues<Objects, Name>>): Promise<StoredRecord<ObjectValues<Objects, Name>>>;
  /** Changes the named fields; pass `version` to refuse a stale update (`VERSION_CONFLICT`). */
  update<Name extends keyof Objects & string>(object: Name, id: string, values: Partial<ObjectValues<Objects, Name>>, version?: number): Promise<StoredRecord<ObjectValues<Objects, Name>>>;
  delete<Name extends keyof Objects & string>(object: Name, id: string): Promise<null>;
}
