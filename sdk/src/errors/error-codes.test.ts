import { describe, expect, it } from 'vitest';
import { errorCodes, isErrorCode } from './index.ts';

describe('errorCodes', () => {
  it('names every code in UPPER_SNAKE_CASE with an error status and a sentence', () => {
    for (const [code, { status, description }] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(description).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('recognises its own codes only, never inherited object keys', () => {
    expect(isErrorCode('VALIDATION_FAILED')).toBe(true);
    expect(isErrorCode('validation_failed')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('__proto__')).toBe(false);
  });
});
