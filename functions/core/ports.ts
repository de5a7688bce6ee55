import type { Profile } from '../../shared/api';
import type { ChatMessage, JoinInfo, ServerFrame } from '../../shared/live';
import type { Role } from '../../shared/roles';
import type {
  Appointment,
  AppointmentStatus,
  Availability,
  DoctorSummary,
  Page,
  VisitNotes,
} from '../../shared/appointments';

/** What core needs from the outside world; adapters/ implements these, tests use in-memory fakes. */
export interface ProfileRepository {
  put(profile: StoredProfile): Promise<void>;
  get(userId: string): Promise<StoredProfile | undefined>;
}

export interface StoredProfile extends Profile {
  consents?: { termsVersion: string; privacyVersion: string; acceptedAt: string };
}

export class EmailAlreadyRegistered extends Error {}
export class PasswordRejected extends Error {}

export interface IdentityDirectory {
  /** Creates a confirmed account in group `patient` with the given password. */
  createPatient(input: { email: string; password: string; name: string; phone: string }): Promise<string>;
  /** Creates an account in group `doctor` that must choose a new password at first login. */
  createDoctor(input: { email: string; name: string; temporaryPassword: string }): Promise<string>;
  deleteUser(userId: string): Promise<void>;
}

export interface AuditEntry {
  action: string;
  actorId: string;
  targetId?: string;
  requestId?: string;
}

/** Append-only trail of who did what to which record; ids only, never PHI. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

export interface AuditRecord extends AuditEntry {
  at: string;
}

/** Reading the trail is a separate port: only the admin handler needs it. */
export interface AuditTrail {
  /** One UTC day, newest first. */
  day(date: string, cursor: string | undefined, limit: number): Promise<Page<AuditRecord>>;
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

export class StaleWrite extends Error {}

export interface AppointmentRepository {
  getAvailability(doctorId: string): Promise<Availability | undefined>;
  putAvailability(doctorId: string, availability: Availability): Promise<void>;
  /** Fails with StaleWrite if the id exists. */
  create(appointment: Appointment): Promise<void>;
  get(appointmentId: string): Promise<Appointment | undefined>;
  /**
   * Writes `current` with `changes` applied, only if the stored status and start are still those of
   * `current` (every change moves one of them); else StaleWrite.
   */
  update(current: Appointment, changes: Partial<Appointment> & Record<string, unknown>): Promise<Appointment>;
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
  listDoctors(query: { text?: string; cursor?: string; limit: number }): Promise<Page<DoctorSummary>>;
}

export type LockResult = { acquired: true } | { acquired: false; heldBy: string; lockedAt: string };

/**
 * One item per (owner, grid bucket): the conditional put of that item is what makes a doctor's or a
 * patient's time un-double-bookable without transactions.
 */
export interface TimeLocks {
  tryLock(ownerId: string, bucket: string, appointmentId: string, now: string): Promise<LockResult>;
  /** Moves a lock from a dead appointment to a live one; false if someone else moved it first. */
  takeOver(ownerId: string, bucket: string, from: string, to: string, now: string): Promise<boolean>;
  release(ownerId: string, bucket: string, appointmentId: string): Promise<void>;
}

export interface SmsMessage {
  /** The user the text is for (lets the local outbox show each user only their own texts). */
  recipientId: string;
  to: string;
  body: string;
  kind: 'booked' | 'cancelled' | 'rescheduled' | 'reminder';
  appointmentId: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

export interface ReminderScheduler {
  schedule(appointmentId: string, at: Date): Promise<void>;
  cancel(appointmentId: string): Promise<void>;
}

// ---- Live consultation --------------------------------------------------------------------------

export interface ConnectionRecord {
  connectionId: string;
  userId: string;
  role: Role;
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
  join(
    appointment: Appointment,
    participant: { userId: string; role: Role },
    expiresAt: Date,
  ): Promise<JoinInfo>;
  end(appointment: Appointment): Promise<void>;
  setRecording(appointment: Appointment, active: boolean): Promise<void>;
}

/** Token bucket per connection: true when the frame may be processed. */
export interface FrameRateLimiter {
  allow(connectionId: string, now: number): Promise<boolean>;
}
