import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvField, formatCsvRecord, formulaTriggers, protectFormula, type CsvValue } from './csv-cell.ts';
import { createCsvWriter, writeCsv, type CsvRow, type CsvWriterOptions } from './csv-writer.ts';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

/** What a spreadsheet user sees in a cell for a string we exported: protected when dangerous. */
const expectedCell = (text: string) => (text !== '' && formulaTriggers.includes(text[0]!) ? `'${text}` : text);

// Strings that like to break CSV: separators, quotes, line breaks and every formula trigger.
const csvText = fc.string({
  unit: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(',', '"', '\r', '\n', '\r\n', ' ', "'", '=', '+', '-', '@', '\t', '＝', '＋', '－', '＠', '山', 'ｱ', 'a', '1', '\ufeff') }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }),
  maxLength: 20,
});

describe('formatCsvField', () => {
  it.each([
    ['plain', 'plain'],
    ['株式会社ＡＢＣ', '株式会社ＡＢＣ'],
    ['Tokyo, Japan', '"Tokyo, Japan"'],
    ['say "hello"', '"say ""hello"""'],
    ['two\nlines', '"two\nlines"'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['', ''],
    ["'already quoted", "'already quoted"],
    [' =1+1', ' =1+1'],
  ])('writes the text %j as %j', (value, field) => {
    expect(formatCsvField(value)).toBe(field);
  });

  it.each(formulaTriggers.map((trigger) => [trigger]))('protects text starting with %j and quotes it', (trigger) => {
    expect(formatCsvField(`${trigger}1+1`)).toBe(`"'${trigger}1+1"`);
  });

  it('protects the classic payloads', () => {
    expect(formatCsvField('=HYPERLINK("http://evil.example","click")')).toBe('"\'=HYPERLINK(""http://evil.example"",""click"")"');
    expect(formatCsvField('@SUM(1+1)*cmd|\' /C calc\'!A0')).toBe('"\'@SUM(1+1)*cmd|\' /C calc\'!A0"');
    expect(formatCsvField('+81 3-1234-5678')).toBe('"\'+81 3-1234-5678"');
    expect(formatCsvField('-5')).toBe('"\'-5"');
  });

  it('writes numbers, booleans, dates, null and objects without protecting numbers', () => {
    const values: [CsvValue, string][] = [
      [-5, '-5'], [3.25, '3.25'], [0, '0'], [Number.NaN, ''], [Number.POSITIVE_INFINITY, ''], [12345678901234567890n, '12345678901234567890'],
      [-1n, '-1'], [true, 'true'], [false, 'false'], [null, ''], [undefined, ''],
      [new Date('2026-04-01T09:00:00+09:00'), '2026-04-01T00:00:00.000Z'], [new Date('invalid'), ''],
      [['a', 'b'], '"[""a"",""b""]"'], [{ city: '東京' }, '"{""city"":""東京""}"'],
    ];
    for (const [value, field] of values) expect(formatCsvField(value)).toBe(field);
  });

  it('ends records with CRLF', () => {
    expect(formatCsvRecord(['ID', '名前', 42, null])).toBe('ID,名前,42,\r\n');
    expect(protectFormula('')).toBe('');
  });
});

describe('writeCsv and createCsvWriter', () => {
  const columns = [
    { key: 'name', header: '会社名' },
    { key: 'amount', header: '金額' },
    { key: 'note', header: '=備考' },
  ];

  it('writes a BOM, the header and the rows, reading objects through the columns', async () => {
    const rows = [{ name: '山田商事', amount: -1200, note: 'Tokyo, Japan' }, { name: '=cmd', amount: 3 }];
    expect(await collect(writeCsv(rows, { columns }))).toBe('\ufeff会社名,金額,"\'=備考"\r\n山田商事,-1200,"Tokyo, Japan"\r\n"\'=cmd",3,\r\n');
  });

  it('writes arrays with an optional header, without BOM when asked', async () => {
    expect(await collect(writeCsv([['a', 1]], { header: ['x', 'y'], bom: false }))).toBe('x,y\r\na,1\r\n');
    expect(await collect(writeCsv([], { bom: false }))).toBe('');
    expect(await collect(writeCsv([], {}))).toBe('\ufeff');
  });

  it('reads rows from async iterables and yields chunks of bounded size', async () => {
    async function* many(): AsyncGenerator<CsvRow> {
      for (let index = 0; index < 20_000; index += 1) yield [index, `row ${index}`, '-x'];
    }
    const chunks: string[] = [];
    for await (const chunk of writeCsv(many(), { bom: false })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(3);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(70 * 1024);
    expect(chunks.join('').split('\r\n')).toHaveLength(20_001);
  });

  it('refuses object rows without columns', async () => {
    await expect(collect(writeCsv([{ a: 1 }]))).rejects.toThrow('Rows given as objects need the columns option');
  });

  it('works as a Transform stream in a pipeline', async () => {
    let output = '';
    await pipeline(
      Readable.from([{ name: 'A', amount: 1 }, { name: '+B', amount: -2, note: 'x\ny' }]),
      createCsvWriter({ columns }),
      async (text: AsyncIterable<string>) => {
        for await (const chunk of text) output += chunk;
      },
    );
    expect(output).toBe('\ufeff会社名,金額,"\'=備考"\r\nA,1,\r\n"\'+B",-2,"x\ny"\r\n');
  });

  it('round-trips any text through a standard parser to its protected form (test-plan row 43)', async () => {
    const table = fc.array(fc.array(csvText, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }).filter((rows) => new Set(rows.map((row) => row.length)).size === 1);
    const writerOptions = fc.constantFrom<CsvWriterOptions>({}, { bom: false });
    await fc.assert(
      fc.asyncProperty(table, writerOptions, async (rows, options) => {
        const text = await collect(writeCsv(rows, options));
        expect(text.startsWith('\ufeff')).toBe(options.bom !== false);
        const parsed = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: false }) as string[][];
        expect(parsed).toEqual(rows.map((row) => row.map(expectedCell)));
        for (const cell of parsed.flat()) expect(cell === '' || !formulaTriggers.includes(cell[0]!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never starts a cell with a formula trigger, whatever the value', () => {
    const value = fc.oneof(csvText, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(csvText, { maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (values) => {
        const parsed = parse(formatCsvRecord(values), { relax_quotes: false }) as string[][];
        values.forEach((original, index) => {
          const cell = parsed[0]![index]!;
          // Only numbers may start with "-": they are written by us as numbers, never as formulas.
          if (typeof original !== 'number') expect(cell === '' || !formulaTriggers.includes(cell[0]!)).toBe(true);
          else expect(cell).toMatch(/^(?:-?\d|$)/u);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
