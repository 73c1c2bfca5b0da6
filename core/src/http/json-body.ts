import { errors } from '../errors/index.ts';
import type { HttpMiddleware } from './context.ts';

export interface JsonBodyOptions {
  limitBytes: number;
  /** Deepest nesting of objects and arrays accepted. */
  maxDepth?: number;
  /** Most values (objects, arrays, scalars) in one body. */
  maxNodes?: number;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Reads JSON request bodies into `ctx.state.body`. The size limit is enforced while streaming
 * (a lying Content-Length gains nothing); nesting depth and value count are checked after
 * parsing, iteratively, so a hostile body can neither exhaust memory nor the stack.
 */
export function jsonBody(options: JsonBodyOptions): HttpMiddleware {
  const maxDepth = options.maxDepth ?? 64;
  const maxNodes = options.maxNodes ?? 200_000;
  return async (ctx, next) => {
    if (!METHODS_WITH_BODY.has(ctx.method) || !hasBody(ctx.req.headers)) {
      await next();
      return;
    }
    if (!ctx.is('application/json', 'application/*+json')) {
      throw errors.unsupportedMediaType(ctx.get('content-type') || '(none)', ['application/json']);
    }
    const declared = Number(ctx.get('content-length'));
    if (Number.isFinite(declared) && declared > options.limitBytes) throw errors.payloadTooLarge(options.limitBytes);
    const text = await readText(ctx.req, options.limitBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw errors.invalidJson((error as Error).message);
    }
    assertShape(parsed, maxDepth, maxNodes);
    ctx.state.body = parsed;
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
