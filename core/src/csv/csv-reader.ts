import { errors, type DaichoError } from '../errors/index.ts';
import { CsvEncodingError, decodeCsvSource, type CsvEncoding, type CsvSource } from './csv-decoding.ts';
import { CsvParser, CsvSyntaxError, type ParsedCsvRecord } from './csv-parser.ts';

export interface CsvReadOptions {
  /** `auto` (default): UTF-8 when the file has a UTF-8 byte-order mark or its start is valid UTF-8, Shift_JIS otherwise. */
  encoding?: CsvEncoding | 'auto';
  /** Most data rows (the header row not counted) read before the import is refused. Default 100,000. */
  maxRows?: number;
  /** Longest field, in characters. Default 100,000. */
  maxFieldLength?: number;
  /** Most fields in a row. Default 1,000. */
  maxColumns?: number;
}

/** One data row: the line of the file it starts on, and its fields by header name. */
export interface CsvRecord {
  line: number;
  /** Field values by column header; a null-prototype object, so any header text is a safe key. */
  fields: Record<string, string>;
}

/** An opened CSV file: its header and encoding are known, its rows are read on demand. */
export interface CsvReader {
  /** The column headers, trimmed, in file order. */
  header: readonly string[];
  encoding: CsvEncoding;
  /** The data rows, read from the source as they are consumed; can be iterated once. */
  records(): AsyncGenerator<CsvRecord, void, undefined>;
}

const defaults = { maxRows: 100_000, maxFieldLength: 100_000, maxColumns: 1_000 };

/**
 * Opens a CSV file for import (RFC 4180; CRLF, LF or CR line ends; a UTF-8 byte-order mark is
 * detected and removed; UTF-8 or Shift_JIS, see CsvReadOptions.encoding). Reads up to the header
 * row, checks it (no empty or repeated names), and returns a reader whose records are parsed as
 * they are consumed: a stream source is read one chunk at a time with back-pressure, so a
 * 100 MB file never sits in memory as a whole (only the current chunk and row do). Every problem
 * throws `DaichoError('VALIDATION_FAILED')` with one problem whose path is `/lines/<line>`:
 * `unclosedQuote`, `textAfterQuote`, `fieldTooLong`, `tooManyColumns`, `columnCount` (a row with
 * more or fewer fields than the header), `tooManyRows`, `emptyHeader`, `duplicateHeader`,
 * `noHeader`, `encoding`.
 *
 * @example
 * const csv = await openCsv(ctx.req, { maxRows: 10_000 });
 * for await (const { line, fields } of csv.records()) await importRow(line, fields['会社名']);
 */
export async function openCsv(source: CsvSource, options: CsvReadOptions = {}): Promise<CsvReader> {
  const limits = { ...defaults, ...options };
  let encoding: CsvEncoding = 'utf-8';
  const parser = new CsvParser(limits);
  const parsed = parseRecords(decodeCsvSource(source, options.encoding ?? 'auto', (chosen) => (encoding = chosen)), parser);
  const first = await parsed.next();
  if (first.done) throw problem(1, 'noHeader', 'The file is empty: it needs a header row');
  const header = checkHeader(first.value);
  let opened = false;
  async function* records(): AsyncGenerator<CsvRecord, void, undefined> {
    if (opened) throw new Error('The records of a CSV file can be read once');
    opened = true;
    let count = 0;
    for await (const { line, fields } of { [Symbol.asyncIterator]: () => parsed }) {
      count += 1;
      if (count > limits.maxRows) throw problem(line, 'tooManyRows', `The file has more than ${limits.maxRows} rows`);
      if (fields.length !== header.length) {
        throw problem(line, 'columnCount', `Line ${line} has ${fields.length} fields; the header has ${header.length}`);
      }
      const record: Record<string, string> = Object.create(null) as Record<string, string>;
      header.forEach((name, index) => (record[name] = fields[index]!));
      yield { line, fields: record };
    }
  }
  return { header, encoding, records };
}

async function* parseRecords(text: AsyncIterable<string>, parser: CsvParser): AsyncGenerator<ParsedCsvRecord, void, undefined> {
  try {
    for await (const chunk of text) yield* parser.push(chunk);
    yield* parser.end();
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw problem(error.line, error.code, error.message);
    if (error instanceof CsvEncodingError) throw problem(parser.currentLine, 'encoding', error.message);
    throw error;
  }
}

function checkHeader({ line, fields }: ParsedCsvRecord): string[] {
  const names = fields.map((name) => name.trim());
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (name === '') throw problem(line, 'emptyHeader', `Column ${index + 1} of the header row has no name`);
    if (seen.has(name)) throw problem(line, 'duplicateHeader', `The header row names "${name}" twice`);
    seen.add(name);
  });
  return names;
}

function problem(line: number, code: string, message: string): DaichoError {
  return errors.validationFailed([{ path: `/lines/${line}`, code, message }], 'The CSV file cannot be read');
}
