import { describe, expect, it } from 'vitest';
import { GuestJsonError, jsonDepth, parseGuestJson } from './guest-json.ts';

const limits = { maxBytes: 1024 * 1024, maxDepth: 32 };

describe('parseGuestJson', () => {
  it('gives data whose objects have no prototype', () => {
    const value = parseGuestJson('{"a":{"b":[{"c":1}]}}', limits) as Record<string, Record<string, Array<Record<string, number>>>>;
    expect(Object.getPrototypeOf(value)).toBe(null);
    expect(Object.getPrototypeOf(value.a)).toBe(null);
    expect(Object.getPrototypeOf(value.a!.b![0])).toBe(null);
    expect(value.a!.b![0]!.c).toBe(1);
  });

  it('refuses JSON nested 100,000 deep without overflowing the stack (row 7)', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseGuestJson(deep, limits)).toThrow(expect.objectContaining({ problem: 'depth' }));
    expect(jsonDepth(deep)).toBe(100_000);
    expect(jsonDepth('{"a":"[[[[[[\\"[["}')).toBe(1);
  });

  it('refuses text over the byte limit, counted in UTF-8', () => {
    expect(() => parseGuestJson(JSON.stringify('あ'.repeat(400)), { maxBytes: 1000, maxDepth: 4 })).toThrow(GuestJsonError);
    expect(parseGuestJson(JSON.stringify('a'.repeat(900)), { maxBytes: 1000, maxDepth: 4 })).toHaveLength(900);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere, leaving Object.prototype alone (row 8)', (key) => {
    expect(() => parseGuestJson(`{"ok":[{"${key}":{"polluted":true}}]}`, limits)).toThrow(expect.objectContaining({ problem: 'key' }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseGuestJson('{', limits)).toThrow(expect.objectContaining({ problem: 'syntax' }));
  });
});
