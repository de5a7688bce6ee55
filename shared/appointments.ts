import * as v from 'valibot';
import { PhoneInput } from './phone-input';
import { isValidTimeZone } from './zoned-time';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const APPOINTMENT_STATUSES = [
  'booked',
  'checked_in',
  'in_progress',
  'completed',
  'cancelled',
  'no_show',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Booking grid: every time is a multiple of this many minutes. */
export const GRID_MINUTES = 5;
export const DEFAULT_SLOT_MINUTES = 20;
export const MAX_SLOT_MINUTES = 120;
export const BOOKING_HORIZON_DAYS = 56;
export const MAX_REASON_LENGTH = 500;
export const MAX_NOTICE_MINUTES = 7 * 24 * 60;
/** The directory looks this far ahead for each doctor's next open time. */
export const NEXT_AVAILABLE_DAYS = 28;

export const TimeZone = v.pipe(
  v.string('Time zone is required'),
  v.maxLength(64),
  v.check(isValidTimeZone, 'Unknown time zone'),
);

/** ISO strings whose calendar date exists (Date.parse would roll Feb 30 over to March). */
function isRealInstant(s: string): boolean {
  const t = Date.parse(s);
  if (Number.isNaN(t)) return false;
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!date) return false;
  const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
  return d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const ClockTime = v.pipe(
  v.string('Use the format HH:MM'),
  v.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use the format HH:MM'),
  v.check((t) => minutesOf(t) % GRID_MINUTES === 0, `Use whole ${GRID_MINUTES}-minute steps`),
);

export const TimeRange = v.pipe(
  v.strictObject({ start: ClockTime, end: ClockTime }),
  v.check((r) => minutesOf(r.start) < minutesOf(r.end), 'The end must be after the start'),
);
export type TimeRange = v.InferOutput<typeof TimeRange>;

export const IsoDate = v.pipe(
  v.string('Use the format YYYY-MM-DD'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD'),
  v.check((d) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d);
  }, 'Not a real date'),
);

/** Ranges may overlap; slot computation merges them. */
const DayRanges = v.optional(v.pipe(v.array(TimeRange), v.maxLength(8, 'At most 8 ranges a day')), []);

export const Availability = v.strictObject({
  timeZone: TimeZone,
  slotMinutes: v.pipe(
    v.number('Slot length must be a number'),
    v.integer('Slot length must be whole minutes'),
    v.minValue(10, 'Slots are at least 10 minutes'),
    v.maxValue(MAX_SLOT_MINUTES, `Slots are at most ${MAX_SLOT_MINUTES} minutes`),
    v.check((m) => m % GRID_MINUTES === 0, `Slot length must be a multiple of ${GRID_MINUTES} minutes`),
  ),
  weekly: v.strictObject({
    mon: DayRanges,
    tue: DayRanges,
    wed: DayRanges,
    thu: DayRanges,
    fri: DayRanges,
    sat: DayRanges,
    sun: DayRanges,
  }),
  daysOff: v.optional(v.pipe(v.array(IsoDate), v.maxLength(366, 'Too many days off')), []),
  /** Hours for single dates, instead of their weekday's (a day off closes the date instead). */
  dates: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          date: IsoDate,
          ranges: v.pipe(
            v.array(TimeRange),
            v.minLength(1, 'Add hours, or make the date a day off'),
            v.maxLength(8, 'At most 8 ranges a day'),
          ),
        }),
      ),
      v.maxLength(366, 'Too many dates'),
      v.check((ds) => new Set(ds.map((d) => d.date)).size === ds.length, 'Each date only once'),
    ),
  ),
  /** This doctor's minimum booking notice; the practice's when absent. */
  minNoticeMinutes: v.optional(
    v.pipe(
      v.number('Notice must be a number'),
      v.integer('Notice must be whole minutes'),
      v.minValue(0, 'Notice cannot be negative'),
      v.maxValue(MAX_NOTICE_MINUTES, 'Notice is at most 7 days'),
    ),
  ),
});
export type Availability = v.InferOutput<typeof Availability>;

/** An instant on the booking grid, as an ISO-8601 UTC string. */
export const SlotStart = v.pipe(
  v.string('Start time is required'),
  v.isoTimestamp('Use an ISO-8601 time'),
  v.check((s) => isRealInstant(s), 'Not a real date and time'),
  v.check((s) => {
    const d = new Date(s);
    return !Number.isNaN(d.getTime()) && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
  }, 'Start on a whole minute'),
);

export const Reason = v.pipe(
  v.string('Reason for visit is required'),
  v.trim(),
  v.nonEmpty('Tell the doctor briefly why you are booking'),
  v.maxLength(MAX_REASON_LENGTH, `At most ${MAX_REASON_LENGTH} characters`),
);

export const BookAppointmentRequest = v.strictObject({
  doctorId: v.pipe(v.string('Choose a doctor'), v.nonEmpty('Choose a doctor'), v.maxLength(64)),
  start: SlotStart,
  reason: Reason,
  /** The patient's own time zone, so messages show their local time. */
  timeZone: v.optional(TimeZone),
});
export type BookAppointmentRequest = v.InferOutput<typeof BookAppointmentRequest>;

export const CancelAppointmentRequest = v.strictObject({
  reason: v.pipe(
    v.string('Give a reason'),
    v.trim(),
    v.nonEmpty('Give a reason'),
    v.maxLength(300, 'At most 300 characters'),
  ),
});

/**
 * `Idempotency-Key` header of `POST /appointments`: the web app sends a fresh one per booking attempt
 * and the same one when it retries that attempt.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IdempotencyKey = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'Use 8 to 128 letters, digits, or - _ . :'),
);
/** How long a booking's idempotency key is remembered. */
export const IDEMPOTENCY_KEY_HOURS = 24;

export const RescheduleAppointmentRequest = v.strictObject({ start: SlotStart });

export const VisitNotesRequest = v.strictObject({
  notes: v.pipe(v.string(), v.maxLength(20_000, 'At most 20,000 characters')),
  summary: v.pipe(v.string(), v.maxLength(5_000, 'At most 5,000 characters')),
  summaryShared: v.boolean(),
});
export type VisitNotesRequest = v.InferOutput<typeof VisitNotesRequest>;

export const UpdateMeRequest = v.strictObject({
  smsOptIn: v.optional(v.boolean('smsOptIn must be true or false')),
  /** A new number is unverified until confirmed with a texted code. */
  phone: v.optional(PhoneInput),
});

export interface Appointment {
  appointmentId: string;
  doctorId: string;
  patientId: string;
  doctorName: string;
  doctorSpecialty?: string;
  patientName: string;
  start: string;
  end: string;
  status: AppointmentStatus;
  reason: string;
  patientTimeZone?: string;
  /** In patients' lists: the last moment they may cancel or reschedule online. */
  changeableUntil?: string;
  createdAt: string;
  updatedAt: string;
  /** Moves on with every change; a write based on an older version is refused as stale. */
  version: number;
  cancelledBy?: 'patient' | 'doctor';
  cancelReason?: string;
}

export interface Slot {
  start: string;
  end: string;
}

export interface DoctorSummary {
  doctorId: string;
  name: string;
  specialty: string;
  /** The first open slot's start within NEXT_AVAILABLE_DAYS; absent when there is none. */
  nextAvailable?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. Absent on the last page. */
  nextCursor?: string;
}

/** Follows `nextCursor` to the end; for bounded lists such as one week of a doctor's schedule. */
export async function allPages<T>(load: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export interface VisitNotes {
  appointmentId: string;
  notes?: string;
  summary: string;
  summaryShared: boolean;
  updatedAt: string;
}

/**
 * `GET /patients/{id}`: the patient's summary, answered in constant time whatever the history; the
 * visits come page by page from `GET /patients/{id}/visits`.
 */
export interface PatientDetails {
  patient: { userId: string; name: string; email: string; phone?: string; dateOfBirth?: string };
  /** When the patient first booked with this doctor, and the start of their latest booking. */
  firstBookedAt: string;
  lastAppointmentStart: string;
}

/** One entry of a patient's visit history with the calling doctor, with its notes if written. */
export type PatientVisit = Appointment & { notes?: VisitNotes };

/** One entry of `GET /patients`: someone who has or had an appointment with the doctor. */
export interface PatientListItem {
  patientId: string;
  patientName: string;
  firstBookedAt: string;
  lastAppointmentStart: string;
}

/** One line of the audit trail: who did what to which record, ids only. */
export interface AuditRecord {
  action: string;
  actorId: string;
  actorRole?: 'patient' | 'doctor' | 'admin';
  /** Whose records the action touched (absent for actions on no patient's data). */
  patientId?: string;
  targetId?: string;
  requestId?: string;
  at: string;
}

/** A queued text's delivery: waiting or being retried, sent, or given up on (dead-letter queue). */
export type OutboxStatus = 'queued' | 'sent' | 'failed';

export interface OutboxMessage {
  messageId: string;
  /** Texts go to phones; emails (only the local Cognito's codes) to addresses. */
  channel: 'sms' | 'email';
  to: string;
  body: string;
  kind: string;
  appointmentId?: string;
  createdAt: string;
  /** Texts only: where the local queue has got with it, and after how many delivery attempts. */
  status?: OutboxStatus;
  attempts?: number;
}

// ---- Query strings (API Gateway delivers every value as a string) -------------------------------

const Limit = v.pipe(
  v.optional(v.string(), '20'),
  v.regex(/^\d{1,3}$/, 'limit must be a whole number'),
  v.transform(Number),
  v.minValue(1, 'limit must be at least 1'),
  v.maxValue(100, 'limit must be at most 100'),
);
const Cursor = v.optional(v.pipe(v.string(), v.maxLength(2048, 'cursor is too long')));
/** A real instant (Feb 30 is refused), normalised to UTC `toISOString()` form. */
const Instant = v.pipe(
  v.string(),
  v.isoTimestamp('Use an ISO-8601 time'),
  v.check((s) => isRealInstant(s), 'Not a real date and time'),
  v.transform((s) => new Date(s).toISOString()),
);

export const PageQuery = v.strictObject({ cursor: Cursor, limit: Limit });

export const DoctorSearchQuery = v.strictObject({
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(80, 'Search text is too long'))),
  cursor: Cursor,
  limit: Limit,
});

/** `reschedule`: times a patient may move an appointment to, so none inside the change cut-off. */
export const SLOT_PURPOSES = ['book', 'reschedule'] as const;
export type SlotPurpose = (typeof SLOT_PURPOSES)[number];
export const SlotQuery = v.strictObject({
  from: Instant,
  to: Instant,
  purpose: v.optional(v.picklist(SLOT_PURPOSES, 'Use book or reschedule'), 'book'),
});

export const AppointmentListQuery = v.strictObject({
  status: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').filter(Boolean)),
      v.array(v.picklist(APPOINTMENT_STATUSES, 'Unknown status')),
    ),
  ),
  from: v.optional(Instant),
  to: v.optional(Instant),
  order: v.optional(v.picklist(['asc', 'desc'], 'order is asc or desc'), 'asc'),
  cursor: Cursor,
  limit: Limit,
});
