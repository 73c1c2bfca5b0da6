// Exact decimal numbers that behave like PostgreSQL's `numeric`: the same results, the same scale
// (digits after the point) after + - * /, and the same rounding (half away from zero). In-memory
// evaluation uses them so that a formula or a comparison gives what the SQL gives, where
// JavaScript doubles would not (0.1 + 0.2 = 0.3 in numeric, not in a double).

/** coefficient × 10^-scale, scale ≥ 0. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

/** PostgreSQL's NUMERIC_MIN_SIG_DIGITS and NUMERIC_MAX_DISPLAY_SCALE. */
const minSignificantDigits = 16;
const maxDisplayScale = 1000;

const decimalPattern = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const ten = 10n;
function powerOfTen(exponent: number): bigint {
  return ten ** BigInt(exponent);
}

/** Parses `-12.50`, `.5`, `5.`, `1e+21` (as numeric input does); undefined when not a number. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = decimalPattern.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole.length === 0 && fraction.length === 0) return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 100_000) return undefined;
  let coefficient = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - exponent;
  if (scale < 0) {
    coefficient *= powerOfTen(-scale);
    scale = 0;
  }
  return { coefficient: sign === '-' ? -coefficient : coefficient, scale };
}

/** A JavaScript number as the decimal its shortest text denotes (0.1 is exactly 0.1). */
export function decimalFromNumber(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return parseDecimal(String(value))!;
}

export function decimalFromInteger(value: number | bigint): Decimal {
  return { coefficient: BigInt(value), scale: 0 };
}

/** The text PostgreSQL prints: all `scale` digits, or without trailing zeros when `trim`. */
export function formatDecimal(value: Decimal, trim = false): string {
  const shown = trim ? trimScale(value) : value;
  const negative = shown.coefficient < 0n;
  const digits = (negative ? -shown.coefficient : shown.coefficient).toString().padStart(shown.scale + 1, '0');
  const whole = digits.slice(0, digits.length - shown.scale);
  const fraction = digits.slice(digits.length - shown.scale);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function decimalToNumber(value: Decimal): number {
  return Number(formatDecimal(value));
}

/** Removes trailing zeros after the point (PostgreSQL's trim_scale). */
export function trimScale(value: Decimal): Decimal {
  let { coefficient, scale } = value;
  while (scale > 0 && coefficient % ten === 0n) {
    coefficient /= ten;
    scale--;
  }
  return { coefficient, scale };
}

function rescale(value: Decimal, scale: number): bigint {
  return value.coefficient * powerOfTen(scale - value.scale);
}

export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = rescale(a, scale);
  const right = rescale(b, scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { coefficient: rescale(a, scale) + rescale(b, scale), scale };
}

export function negateDecimal(a: Decimal): Decimal {
  return { coefficient: -a.coefficient, scale: a.scale };
}

export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  return addDecimals(a, negateDecimal(b));
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { coefficient: a.coefficient * b.coefficient, scale: a.scale + b.scale };
}

export function absDecimal(a: Decimal): Decimal {
  return a.coefficient < 0n ? negateDecimal(a) : a;
}

/** Integer division rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twiceRemainder >= (denominator < 0n ? -denominator : denominator)) {
    return quotient + ((numerator < 0n) === (denominator < 0n) ? 1n : -1n);
  }
  return quotient;
}

/** Weight (position in base-10000 digits) and value of the first non-zero base-10000 digit. */
function leadingBase10000Digit(value: Decimal): { weight: number; digit: number } {
  if (value.coefficient === 0n) return { weight: 0, digit: 0 };
  const digits = (value.coefficient < 0n ? -value.coefficient : value.coefficient).toString();
  const wholeLength = digits.length - value.scale;
  if (wholeLength > 0) {
    const leadingLength = ((wholeLength - 1) % 4) + 1;
    return { weight: Math.floor((wholeLength - 1) / 4), digit: Number(digits.slice(0, leadingLength)) };
  }
  const fraction = '0'.repeat(-wholeLength) + digits;
  const leadingZeros = -wholeLength;
  const group = Math.floor(leadingZeros / 4);
  return { weight: -(group + 1), digit: Number(fraction.slice(group * 4, group * 4 + 4).padEnd(4, '0')) };
}

/** PostgreSQL's select_div_scale: at least 16 significant digits, never fewer than either input's scale. */
function divisionScale(a: Decimal, b: Decimal): number {
  const first = leadingBase10000Digit(a);
  const second = leadingBase10000Digit(b);
  let quotientWeight = first.weight - second.weight;
  if (first.digit <= second.digit) quotientWeight--;
  const scale = Math.max(minSignificantDigits - quotientWeight * 4, a.scale, b.scale, 0);
  return Math.min(scale, maxDisplayScale);
}

/** a / b as numeric computes it; null when b is zero (formulas turn division by zero into blank). */
export function divideDecimals(a: Decimal, b: Decimal): Decimal | null {
  if (b.coefficient === 0n) return null;
  const scale = divisionScale(a, b);
  const exponent = scale - a.scale + b.scale;
  const numerator = exponent >= 0 ? a.coefficient * powerOfTen(exponent) : a.coefficient;
  const denominator = exponent >= 0 ? b.coefficient : b.coefficient * powerOfTen(-exponent);
  return { coefficient: divideRounded(numerator, denominator), scale };
}

/** round(x, digits), half away from zero; negative digits round to tens, hundreds, … */
export function roundDecimal(value: Decimal, digits: number): Decimal {
  const scale = Math.max(digits, 0);
  if (digits >= value.scale) return { coefficient: rescale(value, digits), scale: digits };
  const rounded = divideRounded(value.coefficient, powerOfTen(value.scale - digits));
  return { coefficient: digits < 0 ? rounded * powerOfTen(-digits) : rounded, scale };
}

export function floorDecimal(value: Decimal): Decimal {
  const divisor = powerOfTen(value.scale);
  const quotient = value.coefficient / divisor;
  const adjust = value.coefficient < 0n && value.coefficient % divisor !== 0n ? -1n : 0n;
  return { coefficient: quotient + adjust, scale: 0 };
}

export function ceilingDecimal(value: Decimal): Decimal {
  return negateDecimal(floorDecimal(negateDecimal(value)));
}

/** Remainder with the sign of the dividend, as numeric's mod(); null when b is zero. */
export function modDecimals(a: Decimal, b: Decimal): Decimal | null {
  if (b.coefficient === 0n) return null;
  const scale = Math.max(a.scale, b.scale);
  return { coefficient: rescale(a, scale) % rescale(b, scale), scale };
}

/** Truncates toward zero to a JavaScript integer; undefined outside the safe-integer range. */
export function truncateToInteger(value: Decimal): number | undefined {
  const truncated = value.coefficient / powerOfTen(value.scale);
  const result = Number(truncated);
  return Number.isSafeInteger(result) ? result : undefined;
}
