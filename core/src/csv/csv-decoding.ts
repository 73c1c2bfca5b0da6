import { TextDecoder } from 'node:util';

/** The text encodings a CSV import accepts. */
export type CsvEncoding = 'utf-8' | 'shift_jis';

/** Where CSV bytes (or text) come from: a buffer, a string, or a stream such as a Node Readable. */
export type CsvSource = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** The bytes could not be decoded in the chosen encoding. */
export class CsvEncodingError extends Error {
  readonly encoding: CsvEncoding | 'utf-16';

  constructor(encoding: CsvEncoding | 'utf-16', message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CsvEncodingError';
    this.encoding = encoding;
  }
}

// How much of the start of a file decides the encoding when it has no byte-order mark.
const sniffBytes = 64 * 1024;

/**
 * Decodes a CSV source into text chunks, streaming: at most 64 KiB are held back to detect the
 * encoding, then every chunk is decoded as it arrives. With `auto`, a UTF-8 byte-order mark means
 * UTF-8; otherwise the first 64 KiB decide: valid UTF-8 means UTF-8, anything else Shift_JIS
 * (Windows-31J, as Japanese Excel saves "CSV (comma delimited)"). Bytes that turn out invalid
 * later throw CsvEncodingError. A UTF-16 file (Excel's "Unicode text") is refused. A leading
 * byte-order mark never reaches the text.
 */
export async function* decodeCsvSource(source: CsvSource, encoding: CsvEncoding | 'auto', onEncoding: (chosen: CsvEncoding) => void): AsyncGenerator<string, void, undefined> {
  if (typeof source === 'string') {
    onEncoding('utf-8');
    yield source.startsWith('\ufeff') ? source.slice(1) : source;
    return;
  }
  const chunks = source instanceof Uint8Array ? [source] : source;
  let head: Uint8Array[] = [];
  let headLength = 0;
  let decoder: TextDecoder | undefined;
  for await (const chunk of chunks) {
    if (decoder) {
      yield decode(decoder, chunk, true);
      continue;
    }
    head.push(chunk);
    headLength += chunk.length;
    if (headLength < sniffBytes) continue;
    decoder = chooseDecoder(Buffer.concat(head), encoding, onEncoding);
    yield decode(decoder, Buffer.concat(head), true);
    head = [];
  }
  decoder ??= chooseDecoder(Buffer.concat(head), encoding, onEncoding);
  const rest = head.length > 0 ? decode(decoder, Buffer.concat(head), true) : '';
  yield rest + decode(decoder, new Uint8Array(0), false);
}

function chooseDecoder(head: Uint8Array, encoding: CsvEncoding | 'auto', onEncoding: (chosen: CsvEncoding) => void): TextDecoder {
  const start = head.subarray(0, sniffBytes);
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
    throw new CsvEncodingError('utf-16', 'The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8" or "CSV (comma delimited)"');
  }
  let chosen: CsvEncoding = encoding === 'auto' ? 'utf-8' : encoding;
  const hasBom = start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf;
  if (encoding === 'auto' && !hasBom) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
    } catch {
      chosen = 'shift_jis';
    }
  }
  onEncoding(chosen);
  return new TextDecoder(chosen, { fatal: true });
}

function decode(decoder: TextDecoder, bytes: Uint8Array, stream: boolean): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch (error) {
    const encoding = decoder.encoding === 'utf-8' ? 'utf-8' : 'shift_jis';
    const hint = encoding === 'utf-8' ? 'save it as "CSV UTF-8", or import it as Shift_JIS' : 'save it as "CSV UTF-8"';
    throw new CsvEncodingError(encoding, `The file is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS'}; ${hint}`, { cause: error });
  }
}
