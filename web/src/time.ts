import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** The API speaks UTC ISO strings; everything shown is in the viewer's own time zone and locale. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const longDayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
});
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const calendarDateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' });

export const formatDateTime = (iso: string): string => dateTimeFormat.format(new Date(iso));
export const formatTime = (iso: string): string => timeFormat.format(new Date(iso));
export const formatTimeRange = (startIso: string, endIso: string): string =>
  timeFormat.formatRange(new Date(startIso), new Date(endIso));
/** "Thursday, 27 November" for a local day key. */
export const formatLongDay = (key: string): string => longDayFormat.format(dayFromKey(key));
export const formatShortDay = (key: string): string => shortDayFormat.format(dayFromKey(key));
export const formatDateSpan = (from: Date, toInclusive: Date): string =>
  shortDateFormat.formatRange(from, toInclusive);
/** A calendar date such as a birthday (YYYY-MM-DD, no time zone). */
export const formatCalendarDate = (isoDate: string): string =>
  calendarDateFormat.format(new Date(`${isoDate}T00:00:00Z`));

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
