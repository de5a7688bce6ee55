import { BOOKING_HORIZON_DAYS, GRID_MINUTES, type Availability, type Slot } from '../../shared/appointments';
import { mergeIntervals, scheduledSlots, type Interval } from '../../shared/schedule';

export type { Interval } from '../../shared/schedule';

const MINUTE = 60_000;

/** How far ahead of now a slot must start for the request at hand (see `leadMinutes`). */
export interface OpenSlotQuery {
  availability: Availability;
  from: number;
  to: number;
  now: number;
  /** Minutes between now and the earliest start that may be taken. */
  leadMinutes: number;
  /** Time already taken by active appointments. */
  busy: readonly Interval[];
}

/** The practice's rules on how soon a slot may start. */
export interface LeadRules {
  /** The practice's minimum booking notice; a doctor's availability may set their own. */
  minNoticeMinutes: number;
  /** Patients may cancel or reschedule until this many minutes before the start. */
  changeCutoffMinutes: number;
}

/**
 * How far ahead a slot must start: the booking notice, and, when a patient moves an appointment,
 * also the change cut-off — a time inside it could not be changed again. The one place the pickers,
 * booking and rescheduling take this from.
 */
export function leadMinutes(
  availability: Pick<Availability, 'minNoticeMinutes'>,
  rules: LeadRules,
  moving: boolean,
): number {
  const notice = availability.minNoticeMinutes ?? rules.minNoticeMinutes;
  return moving ? Math.max(notice, rules.changeCutoffMinutes) : notice;
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

const DAY = 86_400_000;
/** The last instant `toISOString` writes with a four-digit year. */
const YEAR_9999_END = Date.UTC(10_000, 0, 1);
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const DATES_KEPT = 1024;
const datePrefixes = new Map<number, string>();

/**
 * `new Date(instant).toISOString()`, without a Date per call for whole minutes: a 56-day answer
 * writes ~8,000 times, and the general formatter was the largest cost of a query. The date part is
 * remembered per UTC day.
 */
export function isoMinute(instant: number): string {
  if (instant % MINUTE !== 0 || instant < 0 || instant >= YEAR_9999_END) {
    return new Date(instant).toISOString();
  }
  const day = Math.floor(instant / DAY);
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    if (datePrefixes.size >= DATES_KEPT) datePrefixes.delete(datePrefixes.keys().next().value!);
    datePrefixes.set(day, prefix);
  }
  const minute = (instant - day * DAY) / MINUTE;
  return `${prefix}${TWO_DIGITS[Math.floor(minute / 60)]}:${TWO_DIGITS[minute % 60]}:00.000Z`;
}

/** Availability minus booked time minus the past and the notice, within the booking horizon. */
export function openSlots({ availability, from, to, now, leadMinutes, busy }: OpenSlotQuery): Slot[] {
  const horizon = now + BOOKING_HORIZON_DAYS * DAY;
  const earliest = now + leadMinutes * MINUTE;
  const upcoming = scheduledSlots(availability, Math.max(from, earliest), Math.min(to, horizon)).filter(
    (slot) => slot.start > now,
  );
  return freeOf(upcoming, busy).map((slot) => ({ start: isoMinute(slot.start), end: isoMinute(slot.end) }));
}

export type SlotProblem = 'past' | 'short_notice' | 'outside_availability' | 'beyond_horizon' | 'taken';

/** Why a requested start cannot be booked, or undefined when it can. */
export function slotProblem(
  query: Omit<OpenSlotQuery, 'from' | 'to'> & { start: number },
): SlotProblem | undefined {
  const { availability, start, now, leadMinutes, busy } = query;
  if (start <= now) return 'past';
  if (start < now + leadMinutes * MINUTE) return 'short_notice';
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
