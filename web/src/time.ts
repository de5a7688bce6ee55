import { createSignal, onCleanup, type Accessor } from 'solid-js';
import * as words from '../../shared/time-format';

/**
 * The API speaks UTC ISO strings; everything shown is in the viewer's own time zone and locale, in the
 * words of the one formatting module the texts and calendar files use too.
 */
export const browserTimeZone = (): string => words.runtimeTimeZone();
/** The viewer's zone in words ("Eastern Time"), for "times are shown in …". */
export const viewerZoneName = (): string => words.zoneName();
/** A zone to choose from a list: its main city and its name in words ("New York · Eastern Time"). */
export const zoneLabel = (timeZone: string): string =>
  `${(timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ')} · ${words.zoneName({ timeZone })}`;

export const formatDateTime = (iso: string): string => words.formatDateTime(iso);
/** With the zone named, for messages that may be read out of context ("… 4:00 Greenwich Mean Time"). */
export const formatDateTimeWithZone = (iso: string): string => words.formatDateTimeWithZone(iso);
export const formatTime = (iso: string): string => words.formatTime(iso);
export const formatTimeRange = (startIso: string, endIso: string): string =>
  words.formatTimeRange(startIso, endIso);
/** "Thursday, 27 November" for a local day key. */
export const formatLongDay = (key: string): string => words.formatLongDay(dayFromKey(key));
export const formatShortDay = (key: string): string => words.formatShortDay(dayFromKey(key));
export const formatDateSpan = (from: Date, toInclusive: Date): string =>
  words.formatDateSpan(from, toInclusive);
/** A calendar date such as a birthday (YYYY-MM-DD, no time zone). */
export const formatCalendarDate = (isoDate: string): string => words.formatCalendarDate(isoDate);

const pad = (n: number) => String(n).padStart(2, '0');

/** The viewer's local calendar day of an instant, as YYYY-MM-DD. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function dayFromKey(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y!, m! - 1, d!);
}

export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Calendar arithmetic in local time, so a daylight-saving change does not shift midnight. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** The current time, refreshed every `intervalMs`, for things that unlock when a visit starts. */
export function createNow(intervalMs = 30_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), intervalMs);
  onCleanup(() => clearInterval(timer));
  return now;
}

/** A time as the clock in `timeZone` shows it (a doctor's hours in their own zone). */
export const formatTimeIn = (instant: number, timeZone: string): string =>
  words.formatTime(instant, { timeZone });
