/** A value a CSV cell can be written from. */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * First characters that make a spreadsheet read a cell as a formula (or a DDE command): `=`, `+`,
 * `-`, `@`, tab and carriage return (OWASP "CSV injection"), and, as a precaution, the
 * full-width `＝＋－＠`, which Japanese input methods produce and spreadsheets may convert.
 */
export const formulaTriggers: readonly string[] = ['=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20'];

// A leading U+FEFF is quoted too, or a reader would take it for a byte-order mark and drop it.
const needsQuotes = /^\ufeff|[",\r\n]/u;

/**
 * Protects text against formula injection: text whose first character is a
 * {@link formulaTriggers} character gets a single quote in front, which spreadsheets show as
 * text and do not evaluate. Other text is returned as it is.
 *
 * @example
 * protectFormula('=HYPERLINK("http://evil.example")'); // "'=HYPERLINK(\"http://evil.example\")"
 * protectFormula('山田'); // '山田'
 */
export function protectFormula(text: string): string {
  return text !== '' && formulaTriggers.includes(text[0]!) ? `'${text}` : text;
}

/**
 * Formats one value as an RFC 4180 CSV field. Text is protected with {@link protectFormula}
 * and quoted when it contains `,`, `"`, CR or LF, starts with U+FEFF or was protected, with inner
 * quotes doubled.
 * Numbers are written as numbers and are not protected: -5 stays `-5` (a spreadsheet reads it as
 * the number it is, not a formula); text that looks like a number ("-5") is protected like any
 * text. Booleans become `true`/`false`, dates ISO 8601 (UTC), null and undefined an empty field,
 * non-finite numbers an empty field, and objects and arrays JSON (protected like text).
 *
 * @example
 * formatCsvField('Tokyo, Japan'); // '"Tokyo, Japan"'
 * formatCsvField('-5'); // `"'-5"`
 * formatCsvField(-5); // '-5'
 */
export function formatCsvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const protectedText = protectFormula(text);
  if (protectedText === text && !needsQuotes.test(text)) return text;
  return `"${protectedText.replaceAll('"', '""')}"`;
}

/**
 * Formats one CSV record: the fields joined by commas, ended by CRLF (RFC 4180).
 *
 * @example
 * formatCsvRecord(['ID', '名前', 42]); // 'ID,名前,42\r\n'
 */
export function formatCsvRecord(values: readonly CsvValue[]): string {
  return `${values.map(formatCsvField).join(',')}\r\n`;
}
