import type { Weekday } from './appointments';

/** Whether the runtime knows `timeZone` as an IANA zone: the one check for every zone we accept. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at `instant`, expressed as if it were UTC (epoch ms). */
function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
}

/** Minutes east of UTC in `timeZone` at `instant`. */
export function offsetMinutes(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return Math.round((wallClockMs(whole, timeZone) - whole) / 60_000);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** From `from` (epoch ms) on, until the next period, the zone is `offset` minutes east of UTC. */
interface OffsetPeriod {
  from: number;
  offset: number;
}

/**
 * The first whole second in (lo, hi] whose offset differs from `lo`'s, where `hi`'s does: zones change
 * offset on whole seconds, so a binary search over seconds finds the transition.
 */
function transitionBetween(lo: number, hi: number, loOffset: number, timeZone: string): number {
  let a = lo / 1000;
  let b = hi / 1000;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetMinutes(mid * 1000, timeZone) === loOffset) a = mid;
    else b = mid;
  }
  return b * 1000;
}

/**
 * The offsets in force around local `date`: read at both ends of the span of instants that can show
 * that date (UTC+14 to UTC-12), searched for the transitions between only when they differ. A zone
 * that changed offset and changed back within that span (no zone does) would go unnoticed.
 */
function offsetPeriods(date: string, timeZone: string): OffsetPeriod[] {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  let lo = Math.floor((midnight - 14 * HOUR) / 1000) * 1000;
  const hi = midnight + DAY + 12 * HOUR;
  const last = offsetMinutes(hi, timeZone);
  const periods: OffsetPeriod[] = [{ from: -Infinity, offset: offsetMinutes(lo, timeZone) }];
  while (periods.at(-1)!.offset !== last) {
    const from = transitionBetween(lo, hi, periods.at(-1)!.offset, timeZone);
    periods.push({ from, offset: offsetMinutes(from, timeZone) });
    lo = from;
  }
  return periods;
}

/** Zone-days remembered; a 62-day query in a few zones fits many times over. */
const PERIODS_KEPT = 4096;
const periodsByDay = new Map<string, OffsetPeriod[]>();

/**
 * `offsetPeriods`, remembered: a zone's rules are fixed for the life of the process (the engine's
 * time-zone data), so the same day never needs probing twice, and open-slot queries for the same
 * weeks read the zone only on the first one. The oldest day is forgotten first.
 */
function knownOffsetPeriods(date: string, timeZone: string): OffsetPeriod[] {
  const key = `${timeZone} ${date}`;
  let periods = periodsByDay.get(key);
  if (!periods) {
    periods = offsetPeriods(date, timeZone);
    if (periodsByDay.size >= PERIODS_KEPT) periodsByDay.delete(periodsByDay.keys().next().value!);
    periodsByDay.set(key, periods);
  }
  return periods;
}

/**
 * The instants of local `date` in `timeZone`, with the zone consulted a few times per day rather than
 * per call: the returned function gives the instant at which the wall clock shows `date` +
 * `minuteOfDay`, or undefined when that wall time does not exist (skipped by a daylight-saving
 * change). A repeated wall time (clocks going back) resolves to its first occurrence.
 */
export function zonedDay(date: string, timeZone: string): (minuteOfDay: number) => number | undefined {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const periods = knownOffsetPeriods(date, timeZone);
  if (periods.length === 1) {
    const offset = periods[0]!.offset * 60_000;
    return (minuteOfDay) => midnight + minuteOfDay * 60_000 - offset;
  }
  return (minuteOfDay) => {
    const wall = midnight + minuteOfDay * 60_000;
    for (let i = 0; i < periods.length; i++) {
      const instant = wall - periods[i]!.offset * 60_000;
      const until = periods[i + 1]?.from ?? Infinity;
      if (instant >= periods[i]!.from && instant < until) return instant;
    }
    return undefined;
  };
}

/** The calendar date (YYYY-MM-DD) in `timeZone` at `instant`. */
export function localDate(instant: number, timeZone: string): string {
  return new Date(wallClockMs(instant, timeZone)).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const WEEKDAY_BY_UTC_DAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function weekdayOf(date: string): Weekday {
  return WEEKDAY_BY_UTC_DAY[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
