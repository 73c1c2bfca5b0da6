import { Transform } from 'node:stream';
import { formatCsvRecord, type CsvValue } from './csv-cell.ts';

/** One column of an export: the key read from each row object, and its header text. */
export interface CsvColumn {
  key: string;
  header: string;
}

/** A row to write: values in column order, or an object read through the columns' keys. */
export type CsvRow = readonly CsvValue[] | { readonly [key: string]: unknown };

export interface CsvWriterOptions {
  /** Columns for rows given as objects; the header row is written from their headers. */
  columns?: readonly CsvColumn[];
  /** The header row for rows given as arrays (ignored when `columns` is given); none when omitted. */
  header?: readonly string[];
  /** Write a UTF-8 byte-order mark first (default true): Excel in Japan needs it to read UTF-8. */
  bom?: boolean;
}

const byteOrderMark = '\ufeff';
// Rows are joined into chunks of about this many characters before they are handed on.
const chunkCharacters = 64 * 1024;

/**
 * Writes rows as CSV (RFC 4180, CRLF line ends, formula-injection protection: see
 * formatCsvField), as an async generator of text chunks of about 64 KiB: the BOM and header row
 * first, even when there are no rows. Rows are pulled one at a time, so an export of any size
 * is streamed with memory for one chunk. Feed it to `Readable.from()` for a Node stream.
 *
 * @example
 * const chunks = writeCsv(records, { columns: [{ key: 'name', header: '会社名' }, { key: 'amount', header: '金額' }] });
 * await pipeline(Readable.from(chunks), createWriteStream('export.csv'));
 */
export async function* writeCsv(rows: Iterable<CsvRow> | AsyncIterable<CsvRow>, options: CsvWriterOptions = {}): AsyncGenerator<string, void, undefined> {
  let chunk = headOf(options);
  for await (const row of rows) {
    chunk += formatCsvRecord(valuesOf(row, options.columns));
    if (chunk.length >= chunkCharacters) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * A Node Transform stream for CSV export: write rows (arrays or objects) in object mode, read CSV
 * text (strings). The BOM and header row come first, before any row. Back-pressure is honoured
 * by `pipeline()`, so a database cursor can be piped through it into an HTTP response.
 *
 * @example
 * await pipeline(recordCursor, createCsvWriter({ columns }), response);
 */
export function createCsvWriter(options: CsvWriterOptions = {}): Transform {
  const transform = new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    encoding: 'utf8',
    transform(row: CsvRow, _encoding, callback) {
      try {
        callback(null, formatCsvRecord(valuesOf(row, options.columns)));
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  const head = headOf(options);
  if (head !== '') transform.push(head);
  return transform;
}

function headOf(options: CsvWriterOptions): string {
  const header = options.columns ? options.columns.map((column) => column.header) : options.header;
  return (options.bom === false ? '' : byteOrderMark) + (header ? formatCsvRecord(header) : '');
}

function valuesOf(row: CsvRow, columns: readonly CsvColumn[] | undefined): readonly CsvValue[] {
  if (Array.isArray(row)) return row as readonly CsvValue[];
  if (!columns) throw new TypeError('Rows given as objects need the columns option');
  const object = row as { readonly [key: string]: unknown };
  return columns.map((column) => (Object.hasOwn(object, column.key) ? (object[column.key] as CsvValue) : undefined));
}
