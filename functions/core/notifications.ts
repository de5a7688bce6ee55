import type { Appointment } from '../../shared/appointments';
import { formatDateTimeWithZone } from '../../shared/time-format';
import {
  textId,
  type AppointmentRepository,
  type BusinessMetrics,
  type Clock,
  type ProfileRepository,
  type SentTexts,
  SmsNotAccepted,
  SmsOutcomeUnknown,
  type SmsSender,
  type StoredProfile,
  type TextKind,
  type TextQueue,
  type TextRequest,
} from './ports';

export interface Log {
  warn(message: string, attributes: Record<string, unknown>): void;
}

/** A log that also reports errors: what failed and left something for ops to look at. */
export interface ErrorLog extends Log {
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface NotificationDeps {
  texts: TextQueue;
  profiles: ProfileRepository;
  log: Log;
  clock: Clock;
}

export type NotificationKind = Exclude<TextKind, 'guest_invitation'>;

/**
 * The time in the patient's own zone, named in words, in the same words the app uses. The patient's
 * locale is not known here, so texts use US English conventions.
 */
const when = (appointment: Appointment): string =>
  formatDateTimeWithZone(appointment.start, {
    locale: 'en-US',
    timeZone: appointment.patientTimeZone ?? 'UTC',
  });

/** Every text ends with how to stop them (carrier rules for texts a patient opted in to). */
const STOP_LINE = 'Reply STOP to opt out.';

/**
 * Text messages name the practice, the doctor and the time only: never the reason for visit or
 * anything clinical. Short enough for two SMS segments with the practice's name and the STOP line.
 */
export function smsText(
  kind: NotificationKind,
  appointment: Appointment,
  practiceName: string,
  link?: string,
): string {
  const visit = `your video visit with ${appointment.doctorName}`;
  switch (kind) {
    case 'booked':
      return `${practiceName}: ${visit} is booked for ${when(appointment)}. ${STOP_LINE}`;
    case 'rescheduled':
      return `${practiceName}: ${visit} has moved to ${when(appointment)}. ${STOP_LINE}`;
    case 'cancelled':
      return `${practiceName}: ${visit} on ${when(appointment)} has been cancelled. ${STOP_LINE}`;
    case 'reminder':
      return `${practiceName} reminder: ${visit} starts at ${when(appointment)}. Check in from your dashboard. ${STOP_LINE}`;
    case 'visit-link':
      // No name, no time, no reason: the link alone leads to the visit.
      return `${practiceName}: your video visit has started. Tap to join: ${link} ${STOP_LINE}`;
  }
}

/** A reminder the provider could only deliver after this long is dropped: it would come too late. */
export const REMINDER_VALID_SECONDS = 600;

/** The number texts may go to: the patient's, when they opted in. Checked at queueing and at sending. */
export function textablePhone(patient: StoredProfile | undefined): string | undefined {
  // An unconfirmed number may be someone else's: texts wait until its owner entered the code.
  return patient?.smsOptIn && patient.phone && patient.phoneVerified ? patient.phone : undefined;
}

/**
 * Queues one text to the patient if they opted in; the sender (`deliverText`) sends it later, with
 * retries and a dead-letter queue. Nothing here waits for Twilio, and nothing fails the booking that
 * caused it: a request the queue refuses is logged without PHI.
 */
export async function notifyPatient(
  kind: NotificationKind,
  appointment: Appointment,
  deps: NotificationDeps,
  /** The n-th text of this kind (re-sent visit links). */
  attempt?: number,
): Promise<boolean> {
  let patient;
  try {
    patient = await deps.profiles.get(appointment.patientId);
  } catch (err) {
    deps.log.warn('sms skipped: profile unavailable', {
      appointmentId: appointment.appointmentId,
      kind,
      errorName: (err as Error).name,
    });
    return false;
  }
  if (!textablePhone(patient)) return false;
  try {
    await deps.texts.enqueue({
      appointmentId: appointment.appointmentId,
      kind,
      recipientId: appointment.patientId,
      version: appointment.version,
      queuedAt: deps.clock.now().toISOString(),
      ...(attempt ? { attempt } : {}),
    });
    return true;
  } catch (err) {
    deps.log.warn('sms not queued', {
      appointmentId: appointment.appointmentId,
      kind,
      errorName: (err as Error).name,
    });
    return false;
  }
}

export interface TextSenderDeps {
  appointments: Pick<AppointmentRepository, 'get'>;
  profiles: Pick<ProfileRepository, 'get'>;
  sms: SmsSender;
  sentTexts: SentTexts;
  /** `TextSent` per text the provider accepted, `TextFailed` per failed attempt or refused text. */
  metrics: BusinessMetrics;
  log: Log;
  clock: Clock;
  /** The practice the texts name (PRACTICE_NAME). */
  practiceName: string;
  /** Mints the pass a `visit-link` text carries (no-show rescue). */
  visitLinks: (appointment: Appointment) => Promise<VisitLink>;
  /** A guest's invitation (core/guests.ts): its number, and its body with a link minted when sent. */
  guestInvitation(appointmentId: string, guestId: string): Promise<ComposedText | undefined>;
}

interface ComposedText {
  to: string;
  /** Built once the text is claimed, right before it is sent (a guest's link is minted then). */
  body: () => Promise<string>;
  validForSeconds?: number;
  /** A visit link's: the provider took the text (or may have), or it did not go. */
  sent?: (at: Date) => Promise<void>;
  discard?: () => Promise<void>;
}

/** The number and words of a queued text as things are now; undefined when it is no longer due. */
async function composeText(request: TextRequest, deps: TextSenderDeps): Promise<ComposedText | undefined> {
  if (request.kind === 'guest_invitation') {
    return deps.guestInvitation(request.appointmentId, request.recipientId);
  }
  const kind = request.kind;
  const [appointment, patient] = await Promise.all([
    deps.appointments.get(request.appointmentId),
    deps.profiles.get(request.recipientId),
  ]);
  if (!appointment || appointment.patientId !== request.recipientId) return undefined;
  const to = textablePhone(patient);
  if (!to) return undefined;
  const secondsToStart = Math.floor((Date.parse(appointment.start) - deps.clock.now().getTime()) / 1000);
  if (kind === 'reminder' && secondsToStart < 1) return undefined;
  if (kind === 'visit-link') return visitLinkText(appointment, to, deps);
  return {
    to,
    body: async () => smsText(kind, appointment, deps.practiceName),
    ...(kind === 'reminder' ? { validForSeconds: Math.min(REMINDER_VALID_SECONDS, secondsToStart) } : {}),
  };
}

/** A visit link about to be texted: `sent` once the provider took it, else `discard`. */
export interface VisitLink {
  url: string;
  sent(at: Date): Promise<void>;
  discard(): Promise<void>;
}

/** A link is for a patient still expected: not once they checked in, nor after the visit. */
function visitLinkText(appointment: Appointment, to: string, deps: TextSenderDeps): ComposedText | undefined {
  if (appointment.status !== 'booked' || deps.clock.now().getTime() >= Date.parse(appointment.end))
    return undefined;
  let link: VisitLink | undefined;
  return {
    to,
    body: async () => {
      link = await deps.visitLinks(appointment);
      return smsText('visit-link', appointment, deps.practiceName, link.url);
    },
    sent: async (at) => link?.sent(at),
    discard: async () => link?.discard(),
  };
}

export type TextOutcome = 'sent' | 'skipped' | 'duplicate' | 'failed' | 'unconfirmed';

/**
 * The queue's consumer: builds the text from the appointment and the patient's phone as they are
 * now and sends it at most once per text id (ADR 0010). Throws only when a later delivery may
 * succeed (the provider's rate limit or outage, a connection that never reached it), so the queue
 * retries it and after the last attempt keeps it in its dead-letter queue. Otherwise answers:
 * - `failed`: refused for good (opted out at the carrier, invalid number, region, credentials);
 *   recorded, counted and logged with the provider's status and code, never retried;
 * - `unconfirmed`: the request may have reached the provider without an answer (now or in an
 *   earlier delivery that stopped mid-send): not sent again, since a second text is the bug a
 *   timeout would otherwise cause;
 * - `duplicate`: already sent or failed; `skipped`: opted out, no phone, erased, or a reminder for
 *   a visit that has started.
 */
export async function deliverText(request: TextRequest, deps: TextSenderDeps): Promise<TextOutcome> {
  const id = textId(request);
  const text = await composeText(request, deps);
  if (!text) return 'skipped';
  const now = deps.clock.now();

  const earlier = await deps.sentTexts.claim(id, now);
  if (earlier === 'sending') return 'unconfirmed';
  if (earlier) return 'duplicate';
  const about = { appointmentId: request.appointmentId, kind: request.kind };
  let accepted;
  try {
    accepted = await deps.sms.send({
      recipientId: request.recipientId,
      to: text.to,
      body: await text.body(),
      kind: request.kind,
      appointmentId: request.appointmentId,
      textId: id,
      queuedAt: request.queuedAt,
      ...(text.validForSeconds ? { validForSeconds: text.validForSeconds } : {}),
    });
  } catch (err) {
    if (err instanceof SmsOutcomeUnknown) {
      // The claim stays `sending`: no later delivery sends it again.
      deps.log.warn('text outcome unknown', about);
      await text.sent?.(deps.clock.now());
      return 'unconfirmed';
    }
    await text.discard?.();
    deps.metrics.count('TextFailed');
    if (err instanceof SmsNotAccepted && !err.retryable) {
      await deps.sentTexts.settle(id, 'failed', deps.clock.now());
      deps.log.warn('text refused', { ...about, status: err.status, code: err.code });
      return 'failed';
    }
    await deps.sentTexts.release(id);
    throw err;
  }
  deps.metrics.count('TextSent');
  // The provider's id lets its later delivery reports find the text.
  await deps.sentTexts.settle(id, 'sent', deps.clock.now(), accepted?.providerId);
  await text.sent?.(deps.clock.now());
  return 'sent';
}

/**
 * Fired by the reminder schedule. The appointment may have moved or been cancelled since the
 * schedule was made, so it is re-read and only a still-due reminder is sent.
 */
export async function sendReminder(
  appointment: Appointment | undefined,
  reminderMinutesBefore: number,
  deps: NotificationDeps,
): Promise<'queued' | 'skipped'> {
  if (!appointment || (appointment.status !== 'booked' && appointment.status !== 'checked_in'))
    return 'skipped';
  const now = deps.clock.now().getTime();
  const start = Date.parse(appointment.start);
  const due = start - reminderMinutesBefore * 60_000;
  if (now < due - 60_000 || now >= start) return 'skipped';
  return (await notifyPatient('reminder', appointment, deps)) ? 'queued' : 'skipped';
}
