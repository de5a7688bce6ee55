import type { Availability, TimeRange } from './appointments';
import { addDays, localDate, minutesOfDay, weekdayOf, zonedDay } from './zoned-time';

/**
 * The slots a doctor's hours produce, before bookings and the booking notice are taken off. Shared
 * so the hours editor previews exactly what open slots will offer.
 */
export interface Interval {
  start: number;
  end: number;
}

const MINUTE = 60_000;

/** The same time as disjoint intervals in ascending order; touching ones become one. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const i of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/** Overlapping or touching ranges of one day become one (in minutes of the day). */
export function mergeRanges(ranges: readonly TimeRange[]): Interval[] {
  return mergeIntervals(ranges.map((r) => ({ start: minutesOfDay(r.start), end: minutesOfDay(r.end) })));
}

type Hours = Pick<Availability, 'weekly' | 'daysOff' | 'dates'>;

/**
 * The hours of local `date`: none on a day off, the one-off hours where the date has some, else the
 * weekly hours of its weekday.
 */
function hoursOn(availability: Hours, date: string): readonly TimeRange[] {
  if (availability.daysOff?.includes(date)) return [];
  const oneOff = availability.dates?.find((d) => d.date === date);
  return oneOff ? oneOff.ranges : availability.weekly[weekdayOf(date)];
}

/**
 * Every slot the doctor's hours produce between `from` and `to` (epoch ms), in the doctor's time
 * zone, before subtracting anything. A slot lasts `slotMinutes` of real time, so a slot that spans a
 * daylight-saving change is still that long.
 */
export function scheduledSlots(
  availability: Hours & Pick<Availability, 'timeZone' | 'slotMinutes'>,
  from: number,
  to: number,
): Interval[] {
  const { timeZone, slotMinutes } = availability;
  const slots: Interval[] = [];
  const seen = new Set<number>();
  for (
    let day = addDays(localDate(from, timeZone), -1);
    day <= addDays(localDate(to, timeZone), 1);
    day = addDays(day, 1)
  ) {
    const ranges = mergeRanges(hoursOn(availability, day));
    if (ranges.length === 0) continue;
    const instantOf = zonedDay(day, timeZone);
    for (const range of ranges) {
      for (let m = range.start; m + slotMinutes <= range.end; m += slotMinutes) {
        const start = instantOf(m);
        if (start === undefined || seen.has(start)) continue;
        seen.add(start);
        const slot = { start, end: start + slotMinutes * MINUTE };
        if (slot.start >= from && slot.start < to) slots.push(slot);
      }
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}
