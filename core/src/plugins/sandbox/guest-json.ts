// Reading JSON text that plugin code produced. The isolate already measured it; this is the
// host's own check, so a bug or a tampered bootstrap inside the isolate still cannot hand the
// host something huge, deep enough to overflow a recursive walk, or shaped to pollute prototypes.
import type { JsonValue } from '@daicho/sdk';

export type GuestJsonProblem = 'size' | 'depth' | 'key' | 'syntax';

/** Why guest JSON was refused; the pool turns it into a PLUGIN_* error. */
export class GuestJsonError extends Error {
  readonly problem: GuestJsonProblem;

  constructor(problem: GuestJsonProblem, message: string) {
    super(message);
    this.name = 'GuestJsonError';
    this.problem = problem;
  }
}

/** Keys refused anywhere in guest data: enough, through a careless merge, to reach a prototype. */
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

export interface GuestJsonLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * Parses guest JSON into plain data whose objects have no prototype. Size and nesting are
 * checked on the text first, without recursion, so a 100,000-deep payload is refused before any
 * parser or walk sees it.
 */
export function parseGuestJson(text: string, limits: GuestJsonLimits): JsonValue {
  if (text.length > limits.maxBytes || Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    throw new GuestJsonError('size', `larger than ${limits.maxBytes} bytes`);
  }
  if (jsonDepth(text, limits.maxDepth) > limits.maxDepth) {
    throw new GuestJsonError('depth', `nested deeper than ${limits.maxDepth} levels`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GuestJsonError('syntax', 'not valid JSON');
  }
  return toPlainData(parsed);
}

/** The nesting of JSON text (brackets outside strings), counted up to `stopAbove` + 1. */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** A copy with null-prototype objects; recursion is safe here because the depth was checked. */
function toPlainData(value: unknown): JsonValue {
  if (value === null || typeof value !== 'object') return value as JsonValue;
  if (Array.isArray(value)) return value.map(toPlainData);
  const copy = Object.create(null) as Record<string, JsonValue>;
  for (const key of Object.keys(value)) {
    if (forbiddenKeys.has(key)) throw new GuestJsonError('key', `has the key "${key}", which is not allowed`);
    copy[key] = toPlainData((value as Record<string, unknown>)[key]);
  }
  return copy;
}
