import {
  BOOKING_HORIZON_DAYS,
  GRID_MINUTES,
  type Availability,
  type Slot,
  type TimeRange,
} from '../../shared/appointments';
import { addDays, localDate, minutesOfDay, weekdayOf, zonedDay } from './zoned-time';

export interface Interval {
  start: number;
  end: number;
}

const MINUTE = 60_000;

/** Overlapping or touching ranges of one day become one (in minutes of the day). */
export function mergeRanges(ranges: readonly TimeRange[]): Interval[] {
  return mergeIntervals(ranges.map((r) => ({ start: minutesOfDay(r.start), end: minutesOfDay(r.end) })));
}

/**
 * Every slot the doctor's weekly hours produce between `from` and `to` (epoch ms), in the doctor's
 * time zone, before subtracting anything. A slot lasts `slotMinutes` of real time, so a slot that
 * spans a daylight-saving change is still that long.
 */
export function scheduledSlots(availability: Availability, from: number, to: number): Interval[] {
  const { timeZone, slotMinutes } = availability;
  const daysOff = new Set(availability.daysOff);
  const slots: Interval[] = [];
  const seen = new Set<number>();
  for (
    let day = addDays(localDate(from, timeZone), -1);
    day <= addDays(localDate(to, timeZone), 1);
    day = addDays(day, 1)
  ) {
    if (daysOff.has(day)) continue;
    const ranges = mergeRanges(availability.weekly[weekdayOf(day)] ?? []);
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

export interface OpenSlotQuery {
  availability: Availability;
  from: number;
  to: number;
  now: number;
  /** Time already taken by active appointments. */
  busy: readonly Interval[];
}

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

/**
 * The slots (ascending by start) that overlap none of `busy`, in one pass over both: the busy
 * time is merged into disjoint ascending intervals, so the first one that has not ended by a slot's
 * start is the only one that can overlap it.
 */
function freeOf(slots: readonly Interval[], busy: readonly Interval[]): Interval[] {
  const taken = mergeIntervals(busy);
  const free: Interval[] = [];
  let i = 0;
  for (const slot of slots) {
    while (i < taken.length && taken[i]!.end <= slot.start) i++;
    if (i < taken.length && taken[i]!.start < slot.end) continue;
    free.push(slot);
  }
  return free;
}

/** Availability minus booked time minus the past, within the booking horizon. */
export function openSlots({ availability, from, to, now, busy }: OpenSlotQuery): Slot[] {
  const horizon = now + BOOKING_HORIZON_DAYS * 86_400_000;
  const upcoming = scheduledSlots(availability, Math.max(from, now), Math.min(to, horizon)).filter(
    (slot) => slot.start > now,
  );
  return freeOf(upcoming, busy).map((slot) => ({
    start: new Date(slot.start).toISOString(),
    end: new Date(slot.end).toISOString(),
  }));
}

export type SlotProblem = 'past' | 'outside_availability' | 'beyond_horizon' | 'taken';

/** Why a requested start cannot be booked, or undefined when it can. */
export function slotProblem(
  query: Omit<OpenSlotQuery, 'from' | 'to'> & { start: number },
): SlotProblem | undefined {
  const { availability, start, now, busy } = query;
  if (start <= now) return 'past';
  if (start >= now + BOOKING_HORIZON_DAYS * 86_400_000) return 'beyond_horizon';
  const slot = scheduledSlots(availability, start, start + MINUTE).find((s) => s.start === start);
  if (!slot) return 'outside_availability';
  if (freeOf([slot], busy).length === 0) return 'taken';
  return undefined;
}

/** The grid buckets an interval covers; one claim item per bucket makes overlaps collide. */
export function gridBuckets(interval: Interval): string[] {
  const step = GRID_MINUTES * MINUTE;
  const buckets: string[] = [];
  for (let t = Math.floor(interval.start / step) * step; t < interval.end; t += step) {
    buckets.push(new Date(t).toISOString());
  }
  return buckets;
}
