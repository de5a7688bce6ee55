import type { Profile } from '../../shared/api';
import type { CallRole, ChatMessage, JoinInfo, ServerFrame } from '../../shared/live';
import type { DoctorAccountStatus } from '../../shared/admin';
import type { Role } from '../../shared/roles';
import type {
  Appointment,
  AuditRecord,
  AppointmentStatus,
  Availability,
  DoctorSummary,
  OutboxMessage,
  Page,
  VisitNotes,
} from '../../shared/appointments';
import type {
  BrowserFamily,
  CallQualitySummary,
  ReportKind,
  TechnicalProblem,
  VisitQualityRow,
} from '../../shared/visit-feedback';
import type { RescueState, VisitWeek } from '../../shared/rescue';

/** What core needs from the outside world; adapters/ implements these, tests use in-memory fakes. */
export interface ProfileRepository {
  put(profile: StoredProfile): Promise<void>;
  get(userId: string): Promise<StoredProfile | undefined>;
  /**
   * Replaces the profile with its erased form unless it is marked deleted already; answers the
   * `deletedAt` that holds, so of two deletions racing the first one's time stands.
   */
  markDeleted(erased: StoredProfile & { deletedAt: string }): Promise<string>;
  /** The profiles whose confirmed phone is this number (a family may share one). */
  withVerifiedPhone(phone: string): Promise<StoredProfile[]>;
}

export interface StoredProfile extends Profile {
  consents?: { termsVersion: string; privacyVersion: string; acceptedAt: string };
  /** Set when the patient deleted their account: the personal fields are erased then. */
  deletedAt?: string;
  /** Set by the public sign-up until the email code is confirmed (the PostConfirmation trigger). */
  awaitingConfirmation?: boolean;
  /** Set while an admin has deactivated the (doctor's) account. */
  deactivatedAt?: string;
  /** The last sign-in with a password (the PreTokenGeneration trigger; refreshes do not count). */
  lastSignInAt?: string;
}

export class EmailAlreadyRegistered extends Error {}
export class PasswordRejected extends Error {}

export interface NewPatientAccount {
  email: string;
  password: string;
  name: string;
  phone: string;
}

/**
 * The public sign-up (Cognito `SignUp` with the app client; no admin rights): the account exists
 * unconfirmed, in no group, until its owner enters the code mailed to the address. Resolves with
 * the new user id; throws EmailAlreadyRegistered or PasswordRejected.
 */
export interface SelfSignUp {
  signUp(input: NewPatientAccount): Promise<string>;
}

/**
 * An admin's calls on a doctor's sign-in (Cognito admin rights): a disabled account cannot sign in
 * or refresh its tokens; an invitation can be sent again while the doctor has never signed in.
 */
export interface DoctorSignIn {
  disable(userId: string): Promise<void>;
  enable(userId: string): Promise<void>;
  /** A new temporary password, sent as at creation; InvitationAccepted once the doctor chose a password. */
  resendInvitation(input: { email: string; temporaryPassword: string }): Promise<void>;
}

export class InvitationAccepted extends Error {}

/** Doctor accounts as the admin console lists and switches them (profile items). */
export interface DoctorAccounts {
  /** By name; `text` matches name or specialty. */
  list(query: {
    text?: string;
    status: DoctorAccountStatus;
    cursor?: string;
    limit: number;
  }): Promise<Page<StoredProfile>>;
  /** Sets `deactivatedAt`, or removes it when undefined; only the one attribute changes. */
  setDeactivated(userId: string, at: string | undefined): Promise<void>;
  /** Records a sign-in on the user's profile (none is created for a user without one). */
  recordSignIn(userId: string, at: string): Promise<void>;
}

/** The operator's calls on the identity store (admin rights): seeding, doctor accounts, groups. */
export interface IdentityDirectory {
  /** Creates a confirmed account in group `patient` with the given password (operator seeding). */
  createPatient(input: NewPatientAccount): Promise<string>;
  /** Creates an account in group `doctor` that must choose a new password at first login. */
  createDoctor(input: { email: string; name: string; temporaryPassword: string }): Promise<string>;
  /** Removes the account and its sign-in for good; a user who no longer exists is no error. */
  deleteUser(userId: string): Promise<void>;
}

/**
 * The one admin call the email-confirmation trigger needs: the group is the role. The pool comes
 * with the trigger's event (the trigger cannot be configured with it: see infra/aws/constructs/auth.ts).
 */
export interface GroupMembership {
  addToGroup(user: { userPoolId: string; username: string }, group: Role): Promise<void>;
}

/** A code texted to confirm a phone number; only its hash is kept. */
export interface PhoneCode {
  userId: string;
  /** The number the code was sent to: a code confirms only that number. */
  phone: string;
  codeHash: string;
  expiresAt: string;
  /** Codes entered so far (right or wrong). */
  attempts: number;
}

export interface PhoneCodeStore {
  /** Replaces the user's pending code (a new code starts with no attempts). */
  put(code: PhoneCode): Promise<void>;
  get(userId: string): Promise<PhoneCode | undefined>;
  /**
   * Counts one attempt atomically, only while fewer than `max` were made; false when none is left
   * (or the code is gone), so parallel guesses cannot exceed `max`.
   */
  takeAttempt(userId: string, max: number): Promise<boolean>;
  delete(userId: string): Promise<void>;
}

export interface AuditEntry {
  action: string;
  actorId: string;
  actorRole?: Role;
  /** Whose records the action touched, so the trail can be searched by patient. */
  patientId?: string;
  targetId?: string;
  requestId?: string;
}

/** Append-only trail of who did what to which record; ids only, never PHI. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

export type { AuditRecord };

/** Reading the trail is a separate port: only the admin handler needs it. */
export interface AuditSearch {
  /** ISO instants: entries at or after `since` and before `until`. */
  since: string;
  until: string;
  patientId?: string;
  actorId?: string;
  action?: string;
  cursor?: string;
  limit: number;
}

export interface AuditTrail {
  /** Entries in the range (about one patient and/or by one actor, if given), newest first. */
  search(query: AuditSearch): Promise<Page<AuditRecord>>;
}

/** The texts that landed in the local outbox instead of going to a phone (development only). */
export interface OutboxReader {
  /** Newest first; every text when `recipientId` is undefined. */
  list(
    recipientId: string | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<OutboxMessage>>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// ---- Appointments -------------------------------------------------------------------------------

export interface ListOptions {
  from?: string;
  to?: string;
  statuses?: readonly AppointmentStatus[];
  /** Only the appointments with this doctor (a patient's history as one doctor sees it). */
  doctorId?: string;
  cursor?: string;
  limit: number;
  /** Newest first (history) or oldest first (upcoming). */
  order: 'asc' | 'desc';
}

export interface DoctorPatientLink {
  doctorId: string;
  patientId: string;
  patientName: string;
  firstBookedAt: string;
  lastAppointmentStart: string;
}

/** The appointment changed since it was read (its version moved), or its id already exists. */
export class StaleWrite extends Error {}

/**
 * Five minutes of someone's time, claimed by one appointment. Owner is `doctor:<id>` or
 * `patient:<id>`; bucket is the ISO start of a grid step. Two overlapping appointments of one doctor
 * or one patient always share at least one claim, so a conditional write of every claim makes an
 * overlap impossible.
 */
export interface TimeClaim {
  owner: string;
  bucket: string;
}

/** The time one appointment takes from its doctor (epoch milliseconds). */
export interface BusyTime {
  appointmentId: string;
  start: number;
  end: number;
}

/** A write was refused because `claim` is held by another appointment. */
export class TimeTaken extends Error {
  constructor(readonly claim: TimeClaim) {
    super(`time already claimed by ${claim.owner.split(':')[0]}`);
  }
}

/** The booking's idempotency key was recorded first by another request (a double submit). */
export class BookingKeyTaken extends Error {}

/** Many concurrent writes kept colliding on the same items; the caller may retry shortly. */
export class WriteContention extends Error {}

/** What a patient's `Idempotency-Key` stands for: this request, which created this appointment. */
export interface BookingKey {
  patientId: string;
  key: string;
  /** Hash of the request body: the same key with another body is refused. */
  requestHash: string;
  appointmentId: string;
  /** Epoch seconds; the key is forgotten after this (TTL). */
  expiresAt: number;
}

export interface ClaimChanges {
  add: readonly TimeClaim[];
  remove: readonly TimeClaim[];
}

/**
 * Appointments and the time they claim. Every write that touches an appointment and its claims is
 * one all-or-nothing transaction: a crash leaves the whole change or none of it.
 */
export interface AppointmentRepository {
  getAvailability(doctorId: string): Promise<Availability | undefined>;
  putAvailability(doctorId: string, availability: Availability): Promise<void>;
  /**
   * Writes the new appointment, every claim (each must be free) and the booking key if given (it
   * must be unused), all or nothing, and counts its time as the doctor's busy time. Fails with
   * TimeTaken, BookingKeyTaken or StaleWrite (id exists).
   */
  create(appointment: Appointment, claims: readonly TimeClaim[], bookingKey?: BookingKey): Promise<void>;
  get(appointmentId: string): Promise<Appointment | undefined>;
  /**
   * Writes `current` with `changes` applied and its version moved on, only if the stored version is
   * still that of `current` (else StaleWrite); in the same transaction adds claims (each must be
   * free, else TimeTaken) and removes claims (each must still be this appointment's). The doctor's
   * busy time follows the claims: the appointment's new time when `claims` adds any, none when it
   * only removes.
   */
  update(
    current: Appointment,
    changes: Partial<Appointment> & Record<string, unknown>,
    claims?: ClaimChanges,
  ): Promise<Appointment>;
  /**
   * The time the doctor's appointments that hold claims take, for those starting from `from` through
   * `to` (epoch milliseconds), ascending by start: the doctor's busy time, without reading
   * appointments. Numbers rather than ISO text: open slots compare them with every slot.
   */
  listBusy(doctorId: string, from: number, to: number): Promise<BusyTime[]>;
  /** The live (unexpired) record of a patient's idempotency key. */
  findBookingKey(patientId: string, key: string, nowSeconds: number): Promise<BookingKey | undefined>;
  listForDoctor(doctorId: string, options: ListOptions): Promise<Page<Appointment>>;
  listForPatient(patientId: string, options: ListOptions): Promise<Page<Appointment>>;
  linkDoctorPatient(link: DoctorPatientLink): Promise<void>;
  getDoctorPatient(doctorId: string, patientId: string): Promise<DoctorPatientLink | undefined>;
  listDoctorPatients(
    doctorId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<DoctorPatientLink>>;
  putNotes(notes: VisitNotes & { doctorId: string; patientId: string }): Promise<void>;
  getNotes(appointmentId: string): Promise<VisitNotes | undefined>;
  /** The notes of up to 100 appointments in one read, by appointment id (none written: absent). */
  getNotesOf(appointmentIds: readonly string[]): Promise<Map<string, VisitNotes>>;
  listDoctors(query: { text?: string; cursor?: string; limit: number }): Promise<Page<DoctorSummary>>;
}

/**
 * `visit-link`: the no-show rescue's one-tap link to a visit that has started (shared/rescue.ts);
 * `guest_invitation`: a guest's one-time link (core/guests.ts).
 */
export type TextKind =
  'booked' | 'cancelled' | 'rescheduled' | 'reminder' | 'visit-link' | 'guest_invitation';

/**
 * A text to send, as it waits in the queue: ids only, never a phone number, a name or a body. The
 * sender builds the text and reads the phone when it sends (docs/adr/0010-texts-through-a-queue.md).
 */
export interface TextRequest {
  appointmentId: string;
  kind: TextKind;
  /** The user the text is for. */
  recipientId: string;
  /** The appointment's version when the text was asked for: with id and kind, the text's identity. */
  version: number;
  /** ISO time it was queued. */
  queuedAt: string;
  /** The n-th text of its kind for this version (a re-sent visit link): part of its identity. */
  attempt?: number;
}

/** The identity of a text: a redelivered request has the same one, a later change a new one. */
export const textId = (
  request: Pick<TextRequest, 'appointmentId' | 'kind' | 'version' | 'attempt'>,
): string =>
  `${request.appointmentId}.${request.kind}.${request.version}${request.attempt ? `.${request.attempt}` : ''}`;

/** Hands texts to the sender (SQS on AWS, an in-process queue locally); never waits for Twilio. */
export interface TextQueue {
  enqueue(request: TextRequest): Promise<void>;
}

/**
 * Where a text stands: `sending` from just before the provider is asked (an attempt in flight, or
 * one whose outcome is unknown), then `sent` or `failed` (refused for good).
 */
export type TextState = 'sending' | 'sent' | 'failed';

/** The provider's word on a text after accepting it (Twilio's MessageStatus and ErrorCode). */
export interface DeliveryReport {
  status: string;
  /** Higher is later: a report never replaces one of a higher stage. */
  stage: number;
  errorCode?: number;
  at: Date;
}

/** Each text's state, so a redelivered request is never sent twice (ADR 0010). */
export interface SentTexts {
  /**
   * Claims the text for one attempt (state `sending`) and answers undefined; when an earlier
   * delivery left a state, answers that instead and claims nothing.
   */
  claim(textId: string, at: Date): Promise<TextState | undefined>;
  /** The attempt's verdict: accepted by the provider, or refused for good. */
  settle(textId: string, state: 'sent' | 'failed', at: Date, providerId?: string): Promise<void>;
  /**
   * What the provider reported later about the text it accepted as `providerId`: kept unless a
   * report of a later stage is kept already (reports arrive out of order). False when no text has
   * that id (a phone code, or a report that came before the sender recorded the id).
   */
  recordDelivery(providerId: string, report: DeliveryReport): Promise<boolean>;
  /** The provider answered without taking the text: a later delivery may try again. */
  release(textId: string): Promise<void>;
}

export interface SmsMessage {
  /** The user the text is for (lets the local outbox show each user only their own texts). */
  recipientId: string;
  to: string;
  body: string;
  kind: TextKind | 'phone-verification';
  appointmentId?: string;
  /**
   * A queued text: the request it answers ({@link textId} and when it was queued; the local outbox
   * files it there). Absent for a text sent at once (a phone code its owner is waiting for).
   */
  textId?: string;
  queuedAt?: string;
  /** The provider drops the text if it cannot deliver it within this many seconds (reminders). */
  validForSeconds?: number;
}

/**
 * Sends one text. Throws {@link SmsNotAccepted} when the provider answered without taking it,
 * {@link SmsOutcomeUnknown} when the request may have reached it without an answer; any other
 * error means the request never reached it (safe to send again).
 */
export interface SmsSender {
  /** Answers the provider's id of the accepted text when it gives one (Twilio's Message SID). */
  send(message: SmsMessage): Promise<{ providerId?: string } | void>;
}

/**
 * The provider answered and did not take the text. `retryable` for its rate limit and its own
 * failures (429, 5xx); otherwise refused for good (opted out, invalid number, region not enabled,
 * credentials). Carries the HTTP status and the provider's numeric code only, never the number or
 * the words.
 */
export class SmsNotAccepted extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    readonly retryable: boolean,
  ) {
    super(`The SMS provider answered ${status}${code ? ` (error ${code})` : ''}`);
    this.name = 'SmsNotAccepted';
  }
}

/** The request left but no answer came (timeout, broken connection): the provider may have taken it. */
export class SmsOutcomeUnknown extends Error {
  constructor(message = 'The SMS provider did not answer in time') {
    super(message);
    this.name = 'SmsOutcomeUnknown';
  }
}

/**
 * The one-time jobs of a visit: the reminder before it and the rescue check at its start. One
 * schedule per job and appointment; scheduling again moves it.
 */
export type VisitJob = 'reminder' | 'visit-start';

export interface ReminderScheduler {
  schedule(appointmentId: string, at: Date, job?: VisitJob): Promise<void>;
  /** Cancels every job of the appointment. */
  cancel(appointmentId: string): Promise<void>;
}

// ---- No-show rescue -----------------------------------------------------------------------------

/** Per visit, what the rescue of a late patient has got to; per doctor-week, the counters. */
export interface RescueRepository {
  /** Records that the visit reached its start (once: false when a retried job did already). */
  begin(state: RescueState): Promise<boolean>;
  get(appointmentId: string): Promise<RescueState | undefined>;
  /** One more link is on its way: answers the new number of sends. */
  addSend(appointmentId: string): Promise<number>;
  /** A link was texted: answers the hash of the pass the previous link carried, if any. */
  texted(
    appointmentId: string,
    at: string,
    passHash: string,
  ): Promise<{ state: RescueState; previous?: string }>;
  /** The link was opened; undefined when the visit has no rescue. */
  opened(appointmentId: string, at: string): Promise<RescueState | undefined>;
  /** The doctor's rescues of visits starting in [from, to). */
  listForDoctor(doctorId: string, from: string, to: string): Promise<RescueState[]>;
  /** Adds one to a counter of the doctor's week (Monday, YYYY-MM-DD). */
  count(doctorId: string, week: string, counter: 'visits' | 'noShows' | 'lateJoins'): Promise<void>;
  /** The doctor's weeks from `fromWeek` through `toWeek` that have counters. */
  weeks(doctorId: string, fromWeek: string, toWeek: string): Promise<VisitWeek[]>;
}

// ---- Live consultation --------------------------------------------------------------------------

export interface ConnectionRecord {
  connectionId: string;
  userId: string;
  /** `guest`: a visit session's guest (docs/adr/0021-visit-passes.md). */
  role: Role | 'guest';
  connectedAt: string;
  /** Epoch seconds: API Gateway drops a WebSocket after 2 hours. */
  expiresAt: number;
  /** The appointment whose call this connection has joined, if any. */
  callAppointmentId?: string;
}

/** Pushes frames to users' live WebSocket connections; connections that are gone are forgotten. */
export interface Realtime {
  toUser(userId: string, frame: ServerFrame, onlyInCall?: string): Promise<void>;
  toConnection(connectionId: string, frame: ServerFrame): Promise<void>;
}

/** Records a WebSocket connection when it opens, so frames can find it. */
export interface ConnectionRegistry {
  open(record: ConnectionRecord): Promise<void>;
}

export interface ConnectionDirectory {
  get(connectionId: string): Promise<ConnectionRecord | undefined>;
  listForUser(userId: string): Promise<ConnectionRecord[]>;
  setCall(connectionId: string, appointmentId: string | undefined): Promise<void>;
  remove(connectionId: string): Promise<void>;
}

export interface ConsentRecord {
  appointmentId: string;
  userId: string;
  role: Role;
  kind: 'telehealth' | 'recording';
  value: boolean;
  version: string;
  at: string;
}

export interface ConsentRepository {
  record(consent: ConsentRecord): Promise<void>;
  list(appointmentId: string, kind: ConsentRecord['kind']): Promise<ConsentRecord[]>;
}

export interface ChatRepository {
  /** Stores the message once per clientMessageId; a resend returns the message stored first. */
  append(message: ChatMessage): Promise<{ message: ChatMessage; duplicate: boolean }>;
  list(appointmentId: string, cursor: string | undefined, limit: number): Promise<Page<ChatMessage>>;
}

export interface VideoProvider {
  readonly kind: 'p2p' | 'twilio';
  /**
   * Whether visits may be recorded at all: only Twilio rooms whose recordings go to storage we
   * control (external S3 storage or encrypted recordings, configured and checked), never p2p.
   */
  readonly recordingAvailable: boolean;
  /**
   * Gives a participant what they need to join; creates the room when it does not exist (yet or any
   * more), and then applies `recording` (both consented, nobody withdrew) to the new room.
   */
  join(
    appointment: Appointment,
    participant: { userId: string; role: CallRole },
    expiresAt: Date,
    recording: boolean,
  ): Promise<JoinInfo>;
  end(appointment: Appointment): Promise<void>;
  /** Throws {@link RecordingUnavailable} when the provider's storage is not safe for recordings. */
  setRecording(appointment: Appointment, active: boolean): Promise<void>;
}

/** Recording cannot be switched on: the provider's recordings would not land in safe storage. */
export class RecordingUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingUnavailable';
  }
}

/** A video provider's REST call failed: its HTTP status and numeric error code (when it answered). */
export class VideoProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'VideoProviderError';
  }
}

/** Per-connection frame budget (RATE_LIMIT): true when the frame may be processed. */
export interface FrameRateLimiter {
  allow(connectionId: string, now: number): Promise<boolean>;
}

/**
 * The shared count of a connection's frames in one fixed window (every instance of every WebSocket
 * function counts into it): `take` adds `frames` at once if the window's budget still has room for
 * all of them, else adds nothing and answers false.
 */
export interface FrameCounter {
  take(connectionId: string, window: number, frames: number): Promise<boolean>;
}

// ---- Sessions -----------------------------------------------------------------------------------

/**
 * Per user, the time (epoch seconds) at or before which every sign-in is over: "sign out
 * everywhere" moves it to now. Cognito cannot take back ID tokens it has issued, so the API checks it.
 */
export interface SessionStore {
  validAfter(userId: string): Promise<number | undefined>;
  endSessions(userId: string, validAfter: number): Promise<void>;
}

/** Closes one WebSocket connection (the @connections API's DeleteConnection); a gone one is fine. */
export interface ConnectionCloser {
  close(connectionId: string): Promise<void>;
}

/** At most `count` requests per `periodSeconds`, in a burst or spread out. */
export interface RateLimit {
  readonly count: number;
  readonly periodSeconds: number;
}

/** Allowance per key (a patient, a client address), shared by every instance of a function. */
export interface RateLimiter {
  /** Takes one request from `key`'s allowance: undefined when allowed, else seconds until one is. */
  take(key: string, limit: RateLimit, nowMs: number): Promise<number | undefined>;
}

/**
 * Business events counted as metrics (CloudWatch on AWS): names only, never who or what. One port
 * so that whichever code sends a text (today the booking path and the reminder job) counts it the
 * same way.
 */
export type BusinessEvent =
  | 'AppointmentBooked'
  | 'AppointmentCancelled'
  | 'PatientCheckedIn'
  | 'VisitStarted'
  /** A visit reached its start time (the rescue job ran); with NoShow and LateJoin, the rates. */
  | 'VisitDue'
  | 'NoShow'
  | 'LateJoin'
  | 'VisitCompleted'
  | 'ChatMessageSent'
  | 'TextSent'
  | 'TextFailed'
  | 'TextUndelivered'
  | 'TurnUnavailable'
  /** Consent to recording was withdrawn but the provider could not be told: the room was completed. */
  | 'RecordingStopFailed';

export interface BusinessMetrics {
  count(event: BusinessEvent): void;
}

/** A feedback or call-quality submission as stored: the report's row plus whose visit it was. */
export interface StoredVisitQuality extends VisitQualityRow {
  patientId: string;
  /** Who sent it (one submission of each kind per participant and visit). */
  userId: string;
}

export interface VisitQualityFilter {
  doctorId?: string;
  browser?: BrowserFamily;
  kind?: ReportKind;
}

/** Feedback after visits and call-quality summaries (docs/adr/0011-visit-feedback.md). */
export interface VisitQualityRepository {
  /**
   * Stores a submission unless its author already sent one of the same kind for that visit
   * (feedback and quality summary count apart): false then, and nothing changes.
   */
  add(row: StoredVisitQuality): Promise<boolean>;
  /** The feedback (ratings or technical flag, not the quality summary) its author left on a visit. */
  getFeedback(appointmentId: string, userId: string): Promise<StoredVisitQuality | undefined>;
  /**
   * Removes the free text of the author's feedback on a visit (the comment or note), keeping the
   * ratings and flags for the practice's statistics. Nothing left: no change, no error.
   */
  eraseText(appointmentId: string, userId: string): Promise<void>;
  /** A week's submissions, worst (lowest score) first. */
  listWeek(
    week: string,
    filter: VisitQualityFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<StoredVisitQuality>>;
}

/** Rating and call-quality figures for the operations dashboard (no ids, no text). */
export interface QualityMetrics {
  visitRated(visitRating: number, callRating: number): void;
  technicalProblems(problems: readonly TechnicalProblem[]): void;
  callQuality(summary: CallQualitySummary, score: number): void;
}
