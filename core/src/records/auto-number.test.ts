import { describe, expect, it } from 'vitest';
import { formatAutoNumber } from './auto-number.ts';

describe('formatAutoNumber', () => {
  it('fills dates in the time zone and pads the counter', () => {
    const lateUtc = new Date('2026-12-31T16:30:00Z'); // already 2027-01-01 in Tokyo
    expect(formatAutoNumber('Q-{YYYY}-{0000}', 42, lateUtc, 'Asia/Tokyo')).toBe('Q-2027-0042');
    expect(formatAutoNumber('Q-{YYYY}-{0000}', 42, lateUtc, 'UTC')).toBe('Q-2026-0042');
    expect(formatAutoNumber('{YY}{MM}{DD}-{000}', 7, lateUtc, 'Asia/Tokyo')).toBe('270101-007');
  });

  it('lets the counter grow past its width rather than wrap', () => {
    expect(formatAutoNumber('INV{00}', 12345, new Date(), 'UTC')).toBe('INV12345');
  });
});
