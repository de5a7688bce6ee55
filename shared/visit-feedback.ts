/**
 * Feedback after a visit and the call-quality summary each side's browser sends at the end of a call:
 * the request schemas (shared by the handlers and the web forms), the admin report's types, and the
 * ISO week a visit is reported under.
 */
import * as v from 'valibot';
import { PageQuery } from './appointments';

export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** Longest comment a patient may leave; it is about the experience, read by practice staff, not clinicians. */
export const FEEDBACK_COMMENT_MAX = 1000;
export const TECHNICAL_NOTE_MAX = 500;

export const TECHNICAL_PROBLEMS = ['no_video', 'no_audio', 'dropped', 'poor_quality', 'other'] as const;
export type TechnicalProblem = (typeof TECHNICAL_PROBLEMS)[number];

/** Browser families a summary may name: a coarse parse of the user agent, never the full string. */
export const BROWSER_FAMILIES = ['chrome', 'firefox', 'safari', 'edge', 'other'] as const;
export type BrowserFamily = (typeof BROWSER_FAMILIES)[number];

const Rating = v.pipe(
  v.number('A rating is a number from 1 to 5'),
  v.integer('A rating is a whole number from 1 to 5'),
  v.minValue(RATING_MIN, 'A rating is at least 1'),
  v.maxValue(RATING_MAX, 'A rating is at most 5'),
);

const optionalText = (max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(max, `At most ${max} characters`),
      v.transform((s) => (s === '' ? undefined : s)),
    ),
  );

/** The patient rates the visit and the call; the doctor flags technical problems (at least one). */
export const VisitFeedbackRequest = v.variant(
  'kind',
  [
    v.strictObject({
      kind: v.literal('visit'),
      visitRating: Rating,
      callRating: Rating,
      comment: optionalText(FEEDBACK_COMMENT_MAX),
    }),
    v.strictObject({
      kind: v.literal('technical'),
      problems: v.pipe(
        v.array(v.picklist(TECHNICAL_PROBLEMS, 'Unknown problem')),
        v.minLength(1, 'Choose at least one problem'),
        v.maxLength(TECHNICAL_PROBLEMS.length, 'Each problem once'),
        v.check((list) => new Set(list).size === list.length, 'Each problem once'),
      ),
      note: optionalText(TECHNICAL_NOTE_MAX),
    }),
  ],
  'kind is visit (patients) or technical (doctors)',
);
export type VisitFeedbackRequest = v.InferOutput<typeof VisitFeedbackRequest>;

const number = (max: number, min = 0) =>
  v.pipe(
    v.number('Must be a number'),
    v.minValue(min, `Must be at least ${min}`),
    v.maxValue(max, `Must be at most ${max}`),
  );
const whole = (max: number, min = 0) =>
  v.pipe(
    v.number('Must be a number'),
    v.integer('Must be a whole number'),
    v.minValue(min, `Must be at least ${min}`),
    v.maxValue(max, `Must be at most ${max}`),
  );

const Spread = (max: number) => v.strictObject({ p50: number(max), p95: number(max) });

/**
 * One side's call, summarised from `getStats()` samples: numbers in range and enums only. Strict:
 * any other field (a candidate address, a user agent string) is refused, so neither free text nor an
 * IP address can be stored.
 */
export const CallQualitySummary = v.strictObject({
  browser: v.picklist(BROWSER_FAMILIES, 'Unknown browser family'),
  browserMajor: v.optional(whole(999)),
  provider: v.picklist(['p2p', 'twilio'], 'Unknown provider'),
  /** How many samples the figures come from (one every few seconds). */
  samples: whole(100_000, 1),
  durationSeconds: whole(86_400),
  reconnects: whole(1_000),
  /** Round-trip time of the selected candidate pair, ms. */
  rttMs: v.optional(Spread(60_000)),
  /** Inbound packets lost, percent of expected. */
  packetLossPercent: v.optional(Spread(100)),
  inboundVideo: v.optional(
    v.strictObject({
      widthP50: whole(8192),
      heightP50: whole(8192),
      bitrateKbps: v.strictObject({ p10: number(100_000), p50: number(100_000), p90: number(100_000) }),
    }),
  ),
});
export type CallQualitySummary = v.InferOutput<typeof CallQualitySummary>;

/** `2026-W48`: ISO-8601 week (Monday first; week 1 holds the year's first Thursday), in UTC. */
export function isoWeekOf(instant: string | number | Date): string {
  const date = new Date(instant);
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Monday (UTC, `YYYY-MM-DD`) of an ISO week such as `2026-W48`. */
export function mondayOfIsoWeek(week: string): string {
  const [year, number] = [Number(week.slice(0, 4)), Number(week.slice(6))];
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() || 7) - 1) + (number - 1) * 7);
  return new Date(monday).toISOString().slice(0, 10);
}

const IsoWeek = v.pipe(
  v.string(),
  v.regex(/^\d{4}-W\d{2}$/, 'Use a week such as 2026-W48'),
  v.check(
    (w) => /^\d{4}-W\d{2}$/.test(w) && isoWeekOf(`${mondayOfIsoWeek(w)}T12:00:00Z`) === w,
    'Not a real week',
  ),
);

export const REPORT_KINDS = ['visit', 'technical', 'quality'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const VisitQualityQuery = v.strictObject({
  ...PageQuery.entries,
  week: IsoWeek,
  doctorId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid user id'))),
  browser: v.optional(v.picklist(BROWSER_FAMILIES, 'Unknown browser family')),
  kind: v.optional(v.picklist(REPORT_KINDS, 'kind is visit, technical or quality')),
});
export type VisitQualityQuery = v.InferOutput<typeof VisitQualityQuery>;

/**
 * One submission as the admin report lists it: a patient's ratings, a doctor's flag or one side's
 * quality summary. `score` (1 worst – 5 best) orders the report, worst first.
 */
export interface VisitQualityRow {
  appointmentId: string;
  doctorId: string;
  /** The visit's start and ISO week (UTC). */
  visitStart: string;
  week: string;
  kind: ReportKind;
  role: 'patient' | 'doctor';
  score: number;
  submittedAt: string;
  visitRating?: number;
  callRating?: number;
  comment?: string;
  problems?: TechnicalProblem[];
  note?: string;
  browser?: BrowserFamily;
  quality?: CallQualitySummary;
}

/** Averages of one group (a doctor, a browser, or the whole week). */
export interface QualityGroup {
  key: string;
  ratings: number;
  averageVisitRating?: number;
  averageCallRating?: number;
  technicalFlags: number;
  summaries: number;
  averageQualityScore?: number;
  rttP95Median?: number;
  packetLossP95Median?: number;
}

export interface VisitQualityReport {
  items: VisitQualityRow[];
  nextCursor?: string;
  /** On the first page only: the whole week (and filters) by doctor and by browser. */
  summary?: {
    week: QualityGroup;
    byDoctor: QualityGroup[];
    byBrowser: QualityGroup[];
    /** More submissions than the summary reads at once (MAX_SUMMARY_ROWS): figures cover the first ones. */
    truncated: boolean;
  };
}

/** Most submissions one summary reads (a busy practice's week is far below). */
export const MAX_SUMMARY_ROWS = 5_000;
