/** One record as parsed: its fields and the line (1-based) it starts on. */
export interface ParsedCsvRecord {
  line: number;
  fields: string[];
}

/** A reason the parser stopped, with the line it was found on. */
export class CsvSyntaxError extends Error {
  readonly code: 'unclosedQuote' | 'textAfterQuote' | 'fieldTooLong' | 'tooManyColumns';
  readonly line: number;

  constructor(code: CsvSyntaxError['code'], line: number, message: string) {
    super(message);
    this.name = 'CsvSyntaxError';
    this.code = code;
    this.line = line;
  }
}

export interface CsvParserLimits {
  maxFieldLength: number;
  maxColumns: number;
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

// What ends an unquoted field (a quote inside one is an ordinary character).
const unquotedFieldEnd = /[,\r\n]/gu;
const lineBreaks = /\r\n|\r|\n/gu;

/**
 * An incremental RFC 4180 parser: feed it text in chunks of any size and it yields each record
 * as soon as it is complete, keeping only the record in progress. Records end at CRLF, LF or a
 * lone CR (old Mac Excel); a quoted field may contain commas, quotes written twice and line
 * breaks; a quote inside an unquoted field is kept as a character. Empty lines are skipped.
 */
export class CsvParser {
  private readonly limits: CsvParserLimits;
  private state: State = 'fieldStart';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private recordStarted = false;
  // A CR ended the previous chunk: an LF starting the next one belongs to it.
  private afterCarriageReturn = false;

  constructor(limits: CsvParserLimits) {
    this.limits = limits;
  }

  /** The line of the file the parser has reached (1-based). */
  get currentLine(): number {
    return this.line;
  }

  /** Parses the next chunk of text and yields the records it completes. */
  *push(chunk: string): Generator<ParsedCsvRecord, void, undefined> {
    if (chunk === '') return;
    let index = 0;
    if (this.afterCarriageReturn && chunk.startsWith('\n')) {
      index = 1;
      // Inside a quoted field the pair is data and was counted as one line break already.
      if (this.state === 'quoted') this.field += '\n';
    }
    this.afterCarriageReturn = chunk.endsWith('\r');
    while (index < chunk.length) {
      if (this.state === 'quoted') {
        const quote = chunk.indexOf('"', index);
        const end = quote === -1 ? chunk.length : quote;
        this.appendToField(chunk.slice(index, end), true);
        if (quote === -1) return;
        this.state = 'quoteInQuoted';
        index = quote + 1;
        continue;
      }
      const character = chunk[index]!;
      if (this.state === 'quoteInQuoted') {
        if (character === '"') {
          this.appendToField('"', false);
          this.state = 'quoted';
          index += 1;
          continue;
        }
        if (character !== ',' && character !== '\r' && character !== '\n') {
          throw new CsvSyntaxError('textAfterQuote', this.line, `Line ${this.line}: a quoted field must end with a quote followed by a comma or the end of the line`);
        }
      } else if (this.state === 'fieldStart' && character === '"') {
        this.recordStarted = true;
        this.state = 'quoted';
        index += 1;
        continue;
      } else if (character !== ',' && character !== '\r' && character !== '\n') {
        unquotedFieldEnd.lastIndex = index + 1;
        const end = unquotedFieldEnd.exec(chunk)?.index ?? chunk.length;
        this.recordStarted = true;
        this.state = 'unquoted';
        this.appendToField(chunk.slice(index, end), false);
        index = end;
        continue;
      }
      // A comma or a line break ends the field.
      index += 1;
      this.endField();
      if (character === ',') continue;
      if (character === '\r' && chunk[index] === '\n') index += 1;
      const record = this.endRecord();
      this.line += 1;
      this.recordLine = this.line;
      if (record) yield record;
    }
  }

  /** Ends the input: yields the last record when the text does not end with a line break. */
  *end(): Generator<ParsedCsvRecord, void, undefined> {
    if (this.state === 'quoted') {
      throw new CsvSyntaxError('unclosedQuote', this.recordLine, `Line ${this.recordLine}: a quoted field is not closed before the end of the file`);
    }
    if (this.state !== 'fieldStart' || this.fields.length > 0) this.endField();
    const record = this.endRecord();
    if (record) yield record;
  }

  private appendToField(text: string, quoted: boolean): void {
    if (quoted) {
      // Line breaks inside a quoted field are data, but still lines of the file.
      const breaks = text.match(lineBreaks)?.length ?? 0;
      this.line += breaks;
    }
    this.field += text;
    if (this.field.length > this.limits.maxFieldLength) {
      throw new CsvSyntaxError('fieldTooLong', this.recordLine, `Line ${this.recordLine}: field ${this.fields.length + 1} is longer than ${this.limits.maxFieldLength} characters`);
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = 'fieldStart';
    if (this.fields.length > this.limits.maxColumns) {
      throw new CsvSyntaxError('tooManyColumns', this.recordLine, `Line ${this.recordLine}: more than ${this.limits.maxColumns} fields`);
    }
  }

  private endRecord(): ParsedCsvRecord | undefined {
    const fields = this.fields;
    const started = this.recordStarted || fields.length > 1;
    this.fields = [];
    this.recordStarted = false;
    return started ? { line: this.recordLine, fields } : undefined;
  }
}
