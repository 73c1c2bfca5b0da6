import { sql } from 'kysely';
import { errors } from '../errors/index.ts';
import { searchTerms } from '../text/index.ts';
import { rowToRecord } from './record-columns.ts';
import { compileJoins } from '../query/index.ts';
import { formulaContext, ROOT_ALIAS, selectRecordColumns } from './record-select.ts';
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
  const names = options.objects ?? [...metadata.objects.keys()];
  const db = kyselyOf(deps.em());
  const hits: SearchHit[] = [];
  for (const name of names) {
    const stored = metadata.objects.get(name);
    if (!stored) throw errors.invalidQuery('objects', `names an unknown object "${name}"`);
    const definition = stored.body;
    const selection = selectRecordColumns(definition, name, metadata.catalog, formulaContext(actor));
    const matches = terms.map((term) => sql`${sql.ref(`${ROOT_ALIAS}.search_text`)} like ${`%${escapeLike(term)}%`} escape '\\'`);
    const { rows } = await sql<Record<string, unknown>>`select ${selection.columns} from ${sql.id(metadata.schema, definition.table!)} as ${sql.id(ROOT_ALIAS)} ${compileJoins(selection.scope)}
      where ${sql.ref(`${ROOT_ALIAS}.deleted_at`)} is null and ${sql.join(matches, sql` and `)}
      order by ${sql.ref(`${ROOT_ALIAS}.updated_at`)} desc limit ${limit}`.execute(db);
    for (const row of rows) {
      const record = rowToRecord(definition, row, selection.formulaAliases);
      hits.push({ object: name, id: record.id as string, title: definition.titleField ? record[definition.titleField] : record.id, record });
    }
  }
  return hits;
}
