/**
 * No-show rescue (issue 14): a patient who has not checked in when the visit starts is texted a
 * one-tap link (a visit pass); the doctor's queue follows what they do with it, and each doctor-week
 * counts its visits, no-shows and late joins. The rules here are shared by the functions and the web.
 */
import * as v from 'valibot';
import { addDays, localDate, weekdayOf } from './zoned-time';
import { SlotQuery, WEEKDAYS, type AppointmentStatus } from './appointments';
import type { VisitFacts } from './visit-pass';

/** The doctor may mark a no-show this long after the start, unless the practice set its own. */
export const DEFAULT_NO_SHOW_GRACE_MINUTES = 10;

/**
 * A late join: the patient checked in more than this many minutes after the start. One definition
 * for the counters, the metrics and the dashboard's wording.
 */
export const LATE_JOIN_MINUTES = 5;

/** The web path a texted link opens; the token follows in the fragment (never sent to a server). */
export const VISIT_LINK_PATH = '/visit-link';

/** Weeks the doctor's dashboard shows, this one included. */
export const RATE_WEEKS = 6;

/** What the practice knows of a late patient's rescue, per visit (ISO instants). */
export interface RescueState {
  appointmentId: string;
  doctorId: string;
  /** The visit's start (ISO): the doctor's queue lists rescues by it. */
  start: string;
  /** Texts with a link sent so far (the first at the start, then each re-send). */
  sends: number;
  /** The last link was texted (accepted by the provider). */
  textedAt?: string;
  /** The last link was opened (redeemed). */
  openedAt?: string;
}

/** One step of a rescue as the doctor's queue lists it, oldest first. */
export type RescueStep =
  | { step: 'queued' }
  | { step: 'texted'; at: string }
  | { step: 'opened'; at: string }
  | { step: 'checking' }
  | { step: 'waiting' };

/**
 * The steps reached so far: texted, opened the link, then checking devices (the link leads straight
 * to the device check) until the check-in, then waiting. `status` is the appointment's.
 */
export function rescueSteps(rescue: RescueState, status: string): RescueStep[] {
  const steps: RescueStep[] = [
    rescue.textedAt ? { step: 'texted', at: rescue.textedAt } : { step: 'queued' },
  ];
  if (rescue.openedAt) steps.push({ step: 'opened', at: rescue.openedAt });
  if (status === 'checked_in' || status === 'in_progress') steps.push({ step: 'waiting' });
  else if (rescue.openedAt) steps.push({ step: 'checking' });
  return steps;
}

/** The instant from which the doctor may mark the patient as a no-show. */
export function noShowAllowedFrom(start: string, graceMinutes: number): number {
  return Date.parse(start) + graceMinutes * 60_000;
}

/** Whether a check-in at `at` (ISO) for a visit starting at `start` is a late join. */
export function isLateJoin(start: string, at: string): boolean {
  return Date.parse(at) - Date.parse(start) > LATE_JOIN_MINUTES * 60_000;
}

/** The week an instant belongs to in the practice's zone: the date (YYYY-MM-DD) of its Monday. */
export function weekOf(instant: number, timeZone: string): string {
  const date = localDate(instant, timeZone);
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}

/** One doctor-week's counters, as stored at the moment of each event. */
export interface VisitWeek {
  /** Monday (YYYY-MM-DD, practice zone). */
  week: string;
  /** Visits that reached their start time without being cancelled. */
  visits: number;
  noShows: number;
  lateJoins: number;
}

export interface VisitRates {
  /** Newest week first; weeks without visits are present with zeros. */
  weeks: VisitWeek[];
  lateJoinMinutes: number;
}

/** A rate as a whole percentage, or undefined for a week without visits. */
export function percentOf(count: number, visits: number): number | undefined {
  return visits > 0 ? Math.round((100 * count) / visits) : undefined;
}

export const VisitRatesQuery = v.strictObject({
  weeks: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,2}$/, 'weeks must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'weeks must be at least 1'),
      v.maxValue(12, 'weeks must be at most 12'),
    ),
  ),
});

/** Rescues of visits starting in [from, to). */
export const RescueQuery = v.strictObject({ from: SlotQuery.entries.from, to: SlotQuery.entries.to });

/** A signed-out patient's view of the visit their texted link opened (visit session). */
export interface PatientPassVisit {
  visit: VisitFacts;
  status: AppointmentStatus;
}
