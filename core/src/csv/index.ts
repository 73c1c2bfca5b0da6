// CSV: streaming export with RFC 4180 quoting and spreadsheet formula-injection protection, and
// streaming import with encoding detection (UTF-8, Shift_JIS), line numbers and size limits.
// No extension points.
export { formatCsvField, formatCsvRecord, formulaTriggers, protectFormula } from './csv-cell.ts';
export type { CsvValue } from './csv-cell.ts';
export type { CsvEncoding, CsvSource } from './csv-decoding.ts';
export { openCsv } from './csv-reader.ts';
export type { CsvReadOptions, CsvReader, CsvRecord } from './csv-reader.ts';
export { createCsvWriter, writeCsv } from './csv-writer.ts';
export type { CsvColumn, CsvRow, CsvWriterOptions } from './csv-writer.ts';
