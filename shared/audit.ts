/**
 * Searching the audit trail: the query schemas (shared by the admin handlers and the admin page),
 * the range rule, and the plain words for entries (action names, outcomes, subjects) that the admin
 * page and the CSV export both use.
 */
import * as v from 'valibot';
import type { AuditRecord } from './appointments';
import { IsoDate, TimeZone } from './appointments';

/** Longest range one search or export may span, in days (both ends included). */
export const MAX_AUDIT_RANGE_DAYS = 92;
/** Most rows one CSV export holds; a longer trail is cut (newest kept) and the answer says so. */
export const MAX_AUDIT_EXPORT_ROWS = 10_000;
/** Response header set to `true` when an export was cut at MAX_AUDIT_EXPORT_ROWS. */
export const AUDIT_TRUNCATED_HEADER = 'X-Audit-Truncated';

const DAY_MS = 86_400_000;

/** Days from `from` to `to`, both included (dates already checked as real `YYYY-MM-DD`). */
export function daysInRange(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
}

/** What is wrong with a range, by field; empty when it is fine. */
export function auditRangeErrors(from: string, to: string): Record<string, string> {
  const days = daysInRange(from, to);
  if (days < 1) return { to: 'Must not be before from' };
  if (days > MAX_AUDIT_RANGE_DAYS) return { to: `At most ${MAX_AUDIT_RANGE_DAYS} days after from` };
  return {};
}

/** Plain words for the admin's screen and the export; unknown actions show as recorded. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'patient.registered': 'Patient registered',
  'doctor.created': 'Doctor account created',
  'preferences.updated': 'Preferences changed',
  'session.signOutEverywhere': 'Signed out everywhere',
  'password.reset': 'Password reset (sessions ended)',
  'availability.updated': 'Availability changed',
  'appointment.booked': 'Appointment booked',
  'appointment.cancelled': 'Appointment cancelled',
  'appointment.rescheduled': 'Appointment rescheduled',
  'appointment.completed': 'Visit completed',
  'appointment.no_show': 'Marked as no-show',
  'visit_link.resent': 'Visit link texted again',
  'appointment.checked_in': 'Patient checked in',
  'appointment.admitted': 'Patient admitted to the call',
  'call.joined': 'Joined the video call',
  'notes.saved': 'Visit notes saved',
  'feedback.left': 'Left feedback after the visit',
  'visitQuality.read': 'Viewed visit feedback and call quality',
  'appointment.read': 'Viewed an appointment',
  'appointments.listed': 'Viewed an appointment list',
  'notes.read': 'Viewed visit notes',
  'messages.read': 'Viewed the chat transcript',
  'patient.read': 'Viewed patient details',
  'visits.read': 'Viewed a patient’s visit history and notes',
  'patient.viewed': 'Viewed patient details',
  'patients.listed': 'Viewed the patient list',
  'waitingRoom.read': 'Viewed the waiting room',
  'audit.read': 'Searched the audit trail',
  'audit.exported': 'Exported the audit trail',
  'ehr.read': 'Viewed a patient record as FHIR',
  'ehr.exported': 'Exported visits as FHIR (for an EHR)',
  'data.exported': 'Patient downloaded their data',
  'account.deleted': 'Patient deleted their account',
  'patient.signUpRefused': 'Sign-up refused (email already registered)',
  'patient.confirmed': 'Patient confirmed their email',
  'doctor.deactivated': 'Doctor account deactivated',
  'doctor.reactivated': 'Doctor account reactivated',
  'doctor.invitationResent': 'Doctor invitation sent again',
  'pass.created': 'One-time visit link created',
  'pass.redeemed': 'One-time visit link opened',
  'pass.refused': 'Used, expired or unknown visit link refused',
  'guest.invited': 'Guest invited to a visit',
  'guest.reinvited': 'Guest replaced by a new invitation',
  'guest.removed': 'Guest removed from a visit',
  'guest.consented': 'Patient agreed to the guest',
  'guest.read': 'Viewed a visit’s guest',
  'guest.checked_in': 'Guest checked in',
  'guest.admitted': 'Guest admitted to the call',
  'guest.call_joined': 'Guest joined the video call',
  'guest.connected': 'Guest connected to the visit’s live channel',
};

/** A user id as the path patterns accept them (Cognito subs, UUIDs). */
const UserId = v.optional(
  v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid user id')),
);

const filterEntries = {
  /** Days in `zone` (the admin's), both included: the server turns them into UTC instants. */
  from: IsoDate,
  to: IsoDate,
  zone: v.optional(TimeZone, 'UTC'),
  /** Entries of this action only (one of AUDIT_ACTION_LABELS). */
  action: v.optional(v.picklist(Object.keys(AUDIT_ACTION_LABELS), 'Unknown action')),
  /** Entries about this patient's records. */
  patientId: UserId,
  /** Entries by this user. */
  actorId: UserId,
};

type Range = { from: string; to: string };
const rangeIsFine = (q: Range) => Object.keys(auditRangeErrors(q.from, q.to)).length === 0;
const rangeMessage = (issue: { input: unknown }) => {
  const q = issue.input as Range;
  return auditRangeErrors(q.from, q.to).to ?? 'Invalid range';
};

/** A range error belongs to `to`, so the form shows it beside that field. */
export const AuditExportQuery = v.pipe(
  v.strictObject(filterEntries),
  v.forward(v.partialCheck([['from'], ['to']], rangeIsFine, rangeMessage), ['to']),
);
export type AuditExportQuery = v.InferOutput<typeof AuditExportQuery>;

export const AuditSearchQuery = v.pipe(
  v.strictObject({
    ...filterEntries,
    cursor: v.optional(v.pipe(v.string(), v.maxLength(2048, 'cursor is too long'))),
    limit: v.pipe(
      v.optional(v.string(), '50'),
      v.regex(/^\d{1,3}$/, 'limit must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'limit must be at least 1'),
      v.maxValue(100, 'limit must be at most 100'),
    ),
  }),
  v.forward(v.partialCheck([['from'], ['to']], rangeIsFine, rangeMessage), ['to']),
);
export type AuditSearchQuery = v.InferOutput<typeof AuditSearchQuery>;

export const auditActionLabel = (action: string) => AUDIT_ACTION_LABELS[action] ?? action;

/** A refused attempt reads as such; every other entry records something that was done. */
export function auditOutcome(action: string): 'Done' | 'Refused' {
  return action.endsWith('Refused') ? 'Refused' : 'Done';
}

/**
 * An entry with the names behind its ids, resolved when the page is read (resolving patients'
 * names is itself an audited read). Names are absent for erased or unknown accounts.
 */
export interface AuditRow extends AuditRecord {
  actorName?: string;
  patientName?: string;
  /** The account acted on, when the target is a person (a doctor's account, a user's profile). */
  targetName?: string;
  /** The visit acted on, when the target is an appointment. */
  visit?: { doctorName?: string; patientName?: string; start: string };
}

/** `3 Dec` in `zone`: the day a visit was on, in the reader's zone. */
const visitDay = (start: string, zone: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: zone }).format(
    new Date(start),
  );

/** "Dr. Rivera's visit with Maya Patel on 3 Dec", "Maya Patel", "Dr. Rivera" — or empty. */
export function auditSubject(row: AuditRow, zone: string): string {
  if (row.visit) {
    const doctor = row.visit.doctorName ?? 'a doctor';
    const patient = row.visit.patientName ?? row.patientName ?? 'a patient';
    return `${doctor}'s visit with ${patient} on ${visitDay(row.visit.start, zone)}`;
  }
  if (row.targetName && row.targetId !== row.actorId) return row.targetName;
  if (row.patientName && row.patientId !== row.actorId) return row.patientName;
  return '';
}

const ROLE_WORDS: Record<string, string> = { patient: 'Patient', doctor: 'Doctor', admin: 'Admin' };
export const auditRoleLabel = (role: string | undefined) => (role ? (ROLE_WORDS[role] ?? role) : '');
