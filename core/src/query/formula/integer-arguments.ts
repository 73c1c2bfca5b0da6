// Ranges of the integer arguments of formula functions. An argument is truncated toward zero;
// outside its range the function returns blank, in SQL and in memory alike. The ranges also keep
// every intermediate date inside what PostgreSQL can represent, so a formula never errors in SQL.

export const integerArgumentRanges = {
  /** LEFT, RIGHT, MID: how many characters. */
  count: [0, 1_000_000],
  /** MID: the first character, counting from 1. */
  position: [1, 1_000_000],
  /** ROUND: digits after the point (negative: tens, hundreds, …). */
  roundingDigits: [-100, 100],
  /** DATE. */
  year: [1, 9999],
  month: [1, 12],
  /** Days past the month's end run into the next month: DATE(2026, 2, 30) is 2026-03-02. */
  dayOfMonth: [1, 31],
  /** ADDDAYS: about ±4,650 years. */
  days: [-1_700_000, 1_700_000],
  /** ADDMONTHS: about ±4,650 years. */
  months: [-56_000, 56_000],
} as const satisfies Record<string, readonly [number, number]>;
