import { sql } from 'kysely';
import { errors } from '../errors/index.ts';
import { searchTerms } from '../text/index.ts';
import { readableFields, redactRecord, scopePredicate, visibleDefinition } from './record-access.ts';
import { rowToRecord } from './record-columns.ts';
import { compileJoins } from '../query/index.ts';
import { formulaContext, ROOT_ALIAS, selectRecordColumns } from './record-select.ts';
import { buildSearchText, searchedFields } from './search-text.ts';
import { kyselyOf, type RecordsActor, type RecordsDeps } from './records-context.ts';

export interface SearchHit {
  object: string;
  id: string;
  /** The record's title field value (or its id when the object has none). */
  title: unknown;
  record: Record<string, unknown>;
}

export interface GlobalSearchOptions {
  /** Limit the search to these objects; all by default. */
  objects?: string[];
  /** Hits per object, at most 50. */
  limitPerObject?: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (match) => `\\${match}`);

/**
 * Searches every object (or the chosen ones) for records whose title, e-mail, phone, name or
 * chosen search fields contain every term of the query, after the same folding as at write time:
 * half-width and full-width, hiragana and katakana, case, and phone punctuation all match.
 */
export async function searchRecords(deps: RecordsDeps, actor: RecordsActor, query: string, options: GlobalSearchOptions = {}): Promise<SearchHit[]> {
  const terms = searchTerms(query);
  if (terms.length === 0) throw errors.invalidQuery('q', 'must contain something to search for');
  if (terms.length > 10 || query.length > 200) throw errors.invalidQuery('q', 'must have at most 10 terms and 200 characters');
  const limit = Math.min(Math.max(options.limitPerObject ?? 10, 1), 50);
  const metadata = await deps.metadata.get(actor.workspaceId);
  // Objects the actor may not read are not searched (and unknown to them when named).
  const names = options.objects ?? [...metadata.objects.keys()].filter((name) => actor.access.allows(name, 'read'));
  const db = kyselyOf(deps.em());
  const hits: SearchHit[] = [];
  for (const name of names) {
    const stored = metadata.objects.get(name);
    if (!stored || !actor.access.allows(name, 'read')) throw errors.invalidQuery('objects', `names an unknown object "${name}"`);
    const definition = stored.body;
    const context = formulaContext(actor);
    const selection = selectRecordColumns(definition, name, metadata.catalog, context);
    const matches = terms.map((term) => sql`${sql.ref(`${ROOT_ALIAS}.search_text`)} like ${`%${escapeLike(term)}%`} escape '\\'`);
    const scope = actor.access.recordScope(name, 'read');
    if (scope) matches.push(scopePredicate(scope, selection.scope, context));
    // When a searched field is hidden from the actor, a record must match on what they can read:
    // candidates are checked again against the text of their readable fields only.
    const readable = readableFields(actor.access, definition);
    const hiddenSearched = readable !== undefined && searchedFields(definition).some((field) => !readable.has(field.name));
    const { rows } = await sql<Record<string, unknown>>`select ${selection.columns} from ${sql.id(metadata.schema, definition.table!)} as ${sql.id(ROOT_ALIAS)} ${compileJoins(selection.scope)}
      where ${sql.ref(`${ROOT_ALIAS}.deleted_at`)} is null and ${sql.join(matches, sql` and `)}
      order by ${sql.ref(`${ROOT_ALIAS}.updated_at`)} desc limit ${hiddenSearched ? limit * 5 : limit}`.execute(db);
    const visible = hiddenSearched ? visibleDefinition(actor.access, definition) : definition;
    let count = 0;
    for (const row of rows) {
      const record = redactRecord(actor.access, definition, rowToRecord(definition, row, selection.formulaAliases));
      if (hiddenSearched) {
        const text = buildSearchText(visible, record);
        if (!terms.every((term) => text.includes(term))) continue;
      }
      if (count++ >= limit) break;
      const title = definition.titleField && (!readable || readable.has(definition.titleField)) ? record[definition.titleField] : record.id;
      hits.push({ object: name, id: record.id as string, title, record });
    }
  }
  return hits;
}
