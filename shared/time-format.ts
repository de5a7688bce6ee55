/**
 * The one way times are put into words, for the web app, the text messages and the calendar file.
 * The API speaks UTC instants; a reader sees them in their own time zone, in their locale's habit
 * (12 or 24 hours), with the zone named in words ("Eastern Time"), never an ISO string or IANA id.
 * Plain `Intl`, so it runs in the browser and in Lambda alike.
 */

export type Instant = string | number | Date;

/** Whose words: a locale (undefined = the runtime's) and an IANA zone (undefined = the runtime's). */
export interface Viewer {
  locale?: string;
  timeZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(viewer: Viewer, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([viewer.locale ?? '', viewer.timeZone ?? '', options]);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(viewer.locale, { ...options, timeZone: viewer.timeZone });
    formatters.set(key, f);
  }
  return f;
}

const toDate = (instant: Instant) => (instant instanceof Date ? instant : new Date(instant));

const DATE_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
};
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

/** The viewer's own IANA zone (for computing, never for showing). */
export const runtimeTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Mon, 30 Nov 2026, 4:00" (en-GB) or "Mon, Nov 30, 2026, 4:00 AM" (en-US). */
export const formatDateTime = (instant: Instant, viewer: Viewer = {}): string =>
  formatter(viewer, DATE_TIME).format(toDate(instant));

/** As `formatDateTime`, with the zone in words: "Mon, 30 Nov 2026, 4:00 Greenwich Mean Time". */
export const formatDateTimeWithZone = (instant: Instant, viewer: Viewer = {}): string =>
  formatter(viewer, { ...DATE_TIME, timeZoneName: 'long' }).format(toDate(instant));

export const formatTime = (instant: Instant, viewer: Viewer = {}): string =>
  formatter(viewer, TIME).format(toDate(instant));

/** "4:00 – 4:20" or "4:00 – 4:20 AM", with the locale's own range habits. */
export const formatTimeRange = (start: Instant, end: Instant, viewer: Viewer = {}): string =>
  formatter(viewer, TIME).formatRange(toDate(start), toDate(end));

/** "Thursday, 27 November". */
export const formatLongDay = (instant: Instant, viewer: Viewer = {}): string =>
  formatter(viewer, { weekday: 'long', day: 'numeric', month: 'long' }).format(toDate(instant));

/** "Thu, 27 Nov". */
export const formatShortDay = (instant: Instant, viewer: Viewer = {}): string =>
  formatter(viewer, { weekday: 'short', day: 'numeric', month: 'short' }).format(toDate(instant));

/** "27 Nov – 3 Dec". */
export const formatDateSpan = (from: Instant, toInclusive: Instant, viewer: Viewer = {}): string =>
  formatter(viewer, { day: 'numeric', month: 'short' }).formatRange(toDate(from), toDate(toInclusive));

/** A calendar date without a zone, such as a birthday (YYYY-MM-DD): the same day everywhere. */
export const formatCalendarDate = (isoDate: string, viewer: Viewer = {}): string =>
  formatter({ locale: viewer.locale, timeZone: 'UTC' }, { dateStyle: 'long' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );

function zonePart(viewer: Viewer, style: 'long' | 'longGeneric', at: Instant): string | undefined {
  return formatter(viewer, { timeZoneName: style })
    .formatToParts(toDate(at))
    .find((p) => p.type === 'timeZoneName')?.value;
}

/**
 * The viewer's zone in words. `generic` (the default) names it without the season ("Eastern Time",
 * "Central European Time"), for "times are shown in …"; `specific` names the one in force at `at`
 * ("British Summer Time"). Where the locale has no generic name it falls back to the specific one, and
 * where it has no name at all, to a GMT offset: never the IANA id.
 */
export function zoneName(
  viewer: Viewer = {},
  options: { style?: 'generic' | 'specific'; at?: Instant } = {},
): string {
  const at = options.at ?? Date.now();
  const generic = options.style !== 'specific' ? zonePart(viewer, 'longGeneric', at) : undefined;
  if (generic && !/^GMT[+-]/.test(generic)) return generic;
  return zonePart(viewer, 'long', at) ?? 'local time';
}
