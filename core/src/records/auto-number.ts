/**
 * Formats an auto-number: `{YYYY}`, `{YY}`, `{MM}`, `{DD}` from the date in the workspace's
 * time zone, and the counter zero-padded to the width of `{0000}`.
 * @example formatAutoNumber('Q-{YYYY}-{0000}', 42, new Date('2026-11-22'), 'Asia/Tokyo') // 'Q-2026-0042'
 */
export function formatAutoNumber(format: string, counter: number, date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date).map((part) => [part.type, part.value]),
  );
  return format.replace(/\{(YYYY|YY|MM|DD|0+)\}/g, (_match, token: string) => {
    if (token === 'YYYY') return parts.year!;
    if (token === 'YY') return parts.year!.slice(-2);
    if (token === 'MM') return parts.month!;
    if (token === 'DD') return parts.day!;
    return String(counter).padStart(token.length, '0');
  });
}
