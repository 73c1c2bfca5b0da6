// Business-time arithmetic for 100,000 records (issue 5: each open record with an SLA due time):
// due = start + 4 business hours, and elapsed business time with one pause each, on a Tokyo
// calendar with a lunch break, holidays and 年末年始. Run: `pnpm bench business-time`.
import { addBusinessTime, businessDueTime, businessTimeBetween, compileCalendar } from '../core/src/calendars/index.ts';
import { describeMachine, median } from './machine.ts';

const records = Number(process.env.BENCH_RECORDS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const hours = [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }];
const definition = { name: 'support', labels: { en: 'Support' }, weeklyHours: { monday: hours, tuesday: hours, wednesday: hours, thursday: hours, friday: hours } };

export async function benchBusinessTime(): Promise<void> {
  // Starts spread over 2026 (Golden Week and the year-end closure included).
  const first = Date.parse('2026-01-05T00:00:00+09:00');
  const starts = Array.from({ length: records }, (_, index) => new Date(first + Math.floor((index / records) * 360 * 86_400_000)));
  const results: Record<string, number[]> = { 'due (add 4 h), fresh calendar': [], 'due (add 4 h), warm calendar': [], 'due with a pause': [], 'elapsed with a pause': [] };
  for (let round = 0; round < rounds; round++) {
    const calendar = compileCalendar(definition);
    const time = (label: string, run: (start: Date) => unknown) => {
      const started = performance.now();
      for (const start of starts) run(start);
      results[label]!.push(performance.now() - started);
    };
    time('due (add 4 h), fresh calendar', (start) => addBusinessTime(calendar, start, 4 * 3_600_000));
    time('due (add 4 h), warm calendar', (start) => addBusinessTime(calendar, start, 4 * 3_600_000));
    const pauseOf = (start: Date) => [{ start: new Date(start.getTime() + 3_600_000), end: new Date(start.getTime() + 5 * 3_600_000) }];
    time('due with a pause', (start) => businessDueTime(calendar, start, 4 * 3_600_000, pauseOf(start)));
    time('elapsed with a pause', (start) => businessTimeBetween(calendar, start, new Date(start.getTime() + 3 * 86_400_000), pauseOf(start)));
  }
  console.log(describeMachine());
  console.log(`${records} records, median of ${rounds} rounds`);
  for (const [label, times] of Object.entries(results)) {
    const ms = median(times);
    console.log(`${label.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  (${((ms * 1000) / records).toFixed(2)} µs per record)`);
  }
}

if (import.meta.main) await benchBusinessTime();
