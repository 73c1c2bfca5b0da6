import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateUuidV7 } from './uuid.ts';

describe('generateUuidV7', () => {
  it('sets version 7 and the RFC 9562 variant, with the timestamp in the first 48 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const id = generateUuidV7(ms);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
      }),
    );
  });

  it('sorts ids from different milliseconds by creation time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 2 ** 20 }), (a, gap) => {
        expect(generateUuidV7(a) < generateUuidV7(a + gap)).toBe(true);
      }),
    );
  });
});
