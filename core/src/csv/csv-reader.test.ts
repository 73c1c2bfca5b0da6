import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DaichoError } from '../errors/index.ts';
import { formulaTriggers } from './csv-cell.ts';
import { openCsv, type CsvReadOptions } from './csv-reader.ts';
import type { CsvSource } from './csv-decoding.ts';
import { writeCsv } from './csv-writer.ts';
import { encodeShiftJis } from './shift-jis.fixture.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function readAll(source: CsvSource, options?: CsvReadOptions) {
  const reader = await openCsv(source, options);
  const rows: { line: number; fields: Record<string, string> }[] = [];
  for await (const record of reader.records()) rows.push({ line: record.line, fields: { ...record.fields } });
  return { header: reader.header, encoding: reader.encoding, rows };
}

async function problemOf(source: CsvSource, options?: CsvReadOptions): Promise<{ path: string; code: string; message: string }> {
  try {
    await readAll(source, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DaichoError);
    expect((error as DaichoError).code).toBe('VALIDATION_FAILED');
    return (error as DaichoError & { details: { problems: { path: string; code: string; message: string }[] } }).details.problems[0]!;
  }
  throw new Error('the file was read without a problem');
}

/** Splits bytes into pieces at the given cut points, as a stream would deliver them. */
function* pieces(bytes: Uint8Array, cuts: readonly number[]): Generator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

describe('openCsv', () => {
  it('reads a header and records, stripping the BOM, with the line each record starts on', async () => {
    const text = '\ufeff会社名,電話, メモ \r\n山田商事,03-1234-5678,"Tokyo, Japan"\r\n\r\n"佐藤 ""工業""",,"two\r\nlines"\r\nlast,row,here';
    expect(await readAll(utf8(text))).toEqual({
      header: ['会社名', '電話', 'メモ'],
      encoding: 'utf-8',
      rows: [
        { line: 2, fields: { 会社名: '山田商事', 電話: '03-1234-5678', メモ: 'Tokyo, Japan' } },
        { line: 4, fields: { 会社名: '佐藤 "工業"', 電話: '', メモ: 'two\r\nlines' } },
        { line: 6, fields: { 会社名: 'last', 電話: 'row', メモ: 'here' } },
      ],
    });
  });

  it('accepts LF and lone CR line ends, strings and streams', async () => {
    for (const source of ['a,b\nc,d\n', 'a,b\rc,d\r', Readable.from([Buffer.from('a,b\r'), Buffer.from('\nc,d')])] as CsvSource[]) {
      expect((await readAll(source)).rows).toEqual([{ line: 2, fields: { a: 'c', b: 'd' } }]);
    }
  });

  it('keeps a quote inside an unquoted field', async () => {
    expect((await readAll('size,name\n5" floppy,disk\n')).rows[0]!.fields).toEqual({ size: '5" floppy', name: 'disk' });
  });

  it('reads Shift_JIS files from Japanese Excel, detected automatically or named', async () => {
    const bytes = encodeShiftJis('会社名,担当,メモ\r\n株式会社山田,ﾔﾏﾀﾞ,①～㈱\r\n');
    const expected = { header: ['会社名', '担当', 'メモ'], encoding: 'shift_jis', rows: [{ line: 2, fields: { 会社名: '株式会社山田', 担当: 'ﾔﾏﾀﾞ', メモ: '①～㈱' } }] };
    expect(await readAll(bytes)).toEqual(expected);
    expect(await readAll(bytes, { encoding: 'shift_jis' })).toEqual(expected);
    expect(await readAll(Readable.from(pieces(bytes, [1, 7, 8, 20])))).toEqual(expected);
  });

  it('reads UTF-8 without a BOM, even when a stream splits characters', async () => {
    const bytes = utf8('名前\n山田太郎\n');
    expect(await readAll(Readable.from(pieces(bytes, [1, 2, 4, 5, 10])))).toMatchObject({ encoding: 'utf-8', rows: [{ line: 2, fields: { 名前: '山田太郎' } }] });
  });

  it('gives fields as null-prototype objects, so any header is a safe key', async () => {
    const reader = await openCsv('__proto__,constructor\nx,y\n');
    for await (const { fields } of reader.records()) {
      expect(Object.getPrototypeOf(fields)).toBeNull();
      expect(fields['__proto__']).toBe('x');
    }
    expect(Object.prototype).not.toHaveProperty('x');
  });

  it.each([
    ['a,b\n"unclosed,x\n', {}, { path: '/lines/2', code: 'unclosedQuote' }],
    ['a,b\n"x"y,z\n', {}, { path: '/lines/2', code: 'textAfterQuote' }],
    ['a,b\n1,2,3\n', {}, { path: '/lines/2', code: 'columnCount' }],
    ['a,b\n1\n', {}, { path: '/lines/2', code: 'columnCount' }],
    ['a,,b\n', {}, { path: '/lines/1', code: 'emptyHeader' }],
    ['a, a\n', {}, { path: '/lines/1', code: 'duplicateHeader' }],
    ['', {}, { path: '/lines/1', code: 'noHeader' }],
    ['\n\n', {}, { path: '/lines/1', code: 'noHeader' }],
    ['a\n1\n2\n3\n', { maxRows: 2 }, { path: '/lines/4', code: 'tooManyRows' }],
    ['a\n"12345\n6"\n', { maxFieldLength: 5 }, { path: '/lines/2', code: 'fieldTooLong' }],
    ['a,b,c\n', { maxColumns: 2 }, { path: '/lines/1', code: 'tooManyColumns' }],
  ] as [string, CsvReadOptions, object][])('refuses %j with %o', async (text, options, expected) => {
    expect(await problemOf(text, options)).toMatchObject(expected);
  });

  it('reports the line of a quoted field that never closes, where it opened', async () => {
    expect(await problemOf('a\nok\n"starts here\nand\ngoes on')).toMatchObject({ path: '/lines/3', code: 'unclosedQuote' });
  });

  it('refuses bytes that are not valid in the encoding, and UTF-16 files', async () => {
    const invalidLater = new Uint8Array([...utf8('a\n' + 'x\n'.repeat(40_000)), 0xff, 0xfe, 0x0a]);
    expect(await problemOf(invalidLater)).toMatchObject({ code: 'encoding', message: expect.stringContaining('not valid UTF-8') });
    expect(await problemOf(new Uint8Array([0x82]), { encoding: 'utf-8' })).toMatchObject({ code: 'encoding' });
    expect(await problemOf(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toMatchObject({ code: 'encoding', message: expect.stringContaining('UTF-16') });
  });

  it('allows reading the records once', async () => {
    const reader = await openCsv('a\n1\n');
    for await (const _ of reader.records()) break;
    await expect(reader.records().next()).rejects.toThrow('once');
  });

  it('reads back exactly what the writer wrote, however the bytes are split, and agrees with csv-parse', async () => {
    const text = fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', ' ', '=', '-', '山', 'ｱ', 'a', '1', '😀', '\u3000'), maxLength: 12 });
    const table = fc.integer({ min: 1, max: 4 }).chain((width) =>
      fc.tuple(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/u), { minLength: width, maxLength: width }), fc.array(fc.array(text, { minLength: width, maxLength: width }), { maxLength: 6 })),
    );
    await fc.assert(
      fc.asyncProperty(table, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), async ([header, rows], cuts, bom) => {
        let csv = '';
        for await (const chunk of writeCsv(rows, { header, bom })) csv += chunk;
        const bytes = utf8(csv);
        const read = await readAll(Readable.from(pieces(bytes, cuts)));
        const protect = (cell: string) => (cell !== '' && formulaTriggers.includes(cell[0]!) ? `'${cell}` : cell);
        const nonEmpty = rows.filter((row) => !(row.length === 1 && row[0] === ''));
        expect(read.header).toEqual(header);
        expect(read.rows.map((row) => header.map((name) => row.fields[name]))).toEqual(nonEmpty.map((row) => row.map(protect)));
        const standard = parse(csv, { bom: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
        expect(read.rows.map((row) => header.map((name) => row.fields[name]))).toEqual(standard.slice(1).map((entry) => entry.record));
      }),
      { numRuns: 500 },
    );
    // 500 runs take about a second on a quiet machine; give a busy one room.
  }, 30_000);

  it('streams: reading the first records pulls only the first chunks of a large source', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield utf8('id,name,memo\n');
      for (let chunk = 0; chunk < 10_000; chunk += 1) {
        pulled += 1;
        yield utf8(Array.from({ length: 100 }, (_, index) => `${chunk * 100 + index},name ${index},"memo, with ""quotes"""\n`).join(''));
      }
    }
    const reader = await openCsv(source(), { maxRows: 2_000_000 });
    let count = 0;
    for await (const _ of reader.records()) if (++count === 1_000) break;
    // 64 KiB are held back to detect the encoding; after that, chunks are pulled as rows are read.
    expect(pulled).toBeLessThan(40);
  });

  it('reads 100 MB with bounded memory', { timeout: 60_000 }, async () => {
    const line = `${'x'.repeat(40)},"${'山田'.repeat(10)}, ""quoted""",${'1'.repeat(20)}\r\n`;
    const chunk = Buffer.from(line.repeat(Math.floor((1 << 20) / Buffer.byteLength(line))));
    function* source(): Generator<Uint8Array> {
      yield Buffer.from('a,b,c\r\n');
      for (let index = 0; index < 100; index += 1) yield chunk;
    }
    // Measure live memory, not garbage waiting for the collector.
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    const reader = await openCsv(Readable.from(source()), { maxRows: 10_000_000 });
    for await (const record of reader.records()) {
      count += 1;
      if (count % 100_000 === 0) {
        collectGarbage();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
      if (count === 1) expect(record.fields['b']).toBe(`${'山田'.repeat(10)}, "quoted"`);
    }
    expect(count).toBe(100 * Math.floor((1 << 20) / Buffer.byteLength(line)));
    // Holding the file as text would take over 100 MB of heap; streaming keeps a chunk and a row.
    console.info(`100 MB import: ${count} rows, peak live heap growth ${(peak / 1024 / 1024).toFixed(1)} MB`);
    expect(peak).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('line numbers', () => {
  it('count CRLF, LF and CR once each, inside quoted fields too, however the text is split', async () => {
    const text = 'h1,h2\r\n"a\r\nb",x\r\n\r\ny,"c\rd\ne"\nlast,row\r';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), async (cuts) => {
        const read = await readAll(Readable.from(pieces(new TextEncoder().encode(text), cuts)));
        expect(read.rows.map((row) => row.line)).toEqual([2, 5, 8]);
      }),
    );
  });
});
