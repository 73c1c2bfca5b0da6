import { errors } from '../errors/index.ts';
import type { HttpContext, HttpMiddleware } from './context.ts';

export interface JsonBodyOptions {
  limitBytes: number;
  /** Deepest nesting of objects and arrays accepted. */
  maxDepth?: number;
  /** Most values (objects, arrays, scalars) in one body. */
  maxNodes?: number;
}

/**
 * Reads the request's JSON body. The size limit is enforced while streaming (a lying
 * Content-Length gains nothing); nesting depth and value count are checked after parsing,
 * iteratively, so a hostile body can neither exhaust memory nor the stack. Routes call it when
 * they want a body; a route that accepts larger bodies (bulk import) passes its own limit.
 * A request with no body reads as `undefined`.
 */
export async function readJsonBody(ctx: HttpContext, options: Partial<JsonBodyOptions> = {}): Promise<unknown> {
  const limitBytes = options.limitBytes ?? ctx.state.bodyLimitBytes;
  if (!hasBody(ctx.req.headers)) return undefined;
  if (!ctx.is('application/json', 'application/*+json')) {
    throw errors.unsupportedMediaType(ctx.get('content-type') || '(none)', ['application/json']);
  }
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw errors.payloadTooLarge(limitBytes);
  const text = await readText(ctx.req, limitBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw errors.invalidJson(jsonErrorPosition(text, (error as Error).message));
  }
  assertShape(parsed, options.maxDepth ?? 64, options.maxNodes ?? 200_000);
  return parsed;
}

/**
 * The raw body as a stream of byte chunks (uploads such as CSV files, whose encoding the reader
 * detects), failing with PAYLOAD_TOO_LARGE as soon as more than `limitBytes` arrive.
 */
export async function* readBodyStream(ctx: HttpContext, limitBytes: number): AsyncGenerator<Uint8Array, void, undefined> {
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw errors.payloadTooLarge(limitBytes);
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limitBytes) throw errors.payloadTooLarge(limitBytes);
    yield buffer;
  }
}

/** Records the default body limit for {@link readJsonBody}. */
export function bodyLimit(limitBytes: number): HttpMiddleware {
  return async (ctx, next) => {
    ctx.state.bodyLimitBytes = limitBytes;
    await next();
  };
}

function hasBody(headers: NodeJS.Dict<string | string[]>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

async function readText(stream: NodeJS.ReadableStream, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limitBytes) throw errors.payloadTooLarge(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function assertShape(value: unknown, maxDepth: number, maxNodes: number): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    nodes += 1;
    if (nodes > maxNodes) {
      throw errors.validationFailed([{ path: '', code: 'maxNodes', message: `The body holds more than ${maxNodes} values` }], 'The request body is too complex');
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) {
      throw errors.validationFailed([{ path: '', code: 'maxDepth', message: `The body is nested deeper than ${maxDepth} levels` }], 'The request body is too complex');
    }
    const children = Array.isArray(item.value) ? item.value : Object.values(item.value);
    for (const child of children) stack.push({ value: child, depth: item.depth + 1 });
  }
}

/** The line and column (from 1) of a JSON.parse failure, worked out from the position it reports. */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } | 'end' | undefined {
  if (message.includes('Unexpected end of JSON input')) return 'end';
  const position = /at position (\d+)/.exec(message);
  if (!position) return undefined;
  const offset = Math.min(Number(position[1]), text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
