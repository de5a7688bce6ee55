import type { Appointment } from '../../shared/appointments';
import { formatDateTimeWithZone } from '../../shared/time-format';
import {
  textId,
  type AppointmentRepository,
  type BusinessMetrics,
  type Clock,
  type ProfileRepository,
  type SentTexts,
  type SmsSender,
  type StoredProfile,
  type TextKind,
  type TextQueue,
  type TextRequest,
} from './ports';

export interface Log {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface NotificationDeps {
  texts: TextQueue;
  profiles: ProfileRepository;
  log: Log;
  clock: Clock;
}

export type NotificationKind = TextKind;

/**
 * The time in the patient's own zone, named in words, in the same words the app uses. The patient's
 * locale is not known here, so texts use US English conventions.
 */
const when = (appointment: Appointment): string =>
  formatDateTimeWithZone(appointment.start, {
    locale: 'en-US',
    timeZone: appointment.patientTimeZone ?? 'UTC',
  });

/** Text messages name the doctor and the time only: never the reason for visit or anything clinical. */
export function smsText(kind: NotificationKind, appointment: Appointment): string {
  const visit = `your video visit with ${appointment.doctorName}`;
  switch (kind) {
    case 'booked':
      return `Telehealth: ${visit} is booked for ${when(appointment)}.`;
    case 'rescheduled':
      return `Telehealth: ${visit} has moved to ${when(appointment)}.`;
    case 'cancelled':
      return `Telehealth: ${visit} on ${when(appointment)} has been cancelled.`;
    case 'reminder':
      return `Telehealth reminder: ${visit} starts at ${when(appointment)}. Check in from your dashboard.`;
  }
}

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
  /** `TextSent` per text the provider accepted, `TextFailed` per failed attempt (the queue retries). */
  metrics: BusinessMetrics;
  clock: Clock;
}

/**
 * The queue's consumer: builds the text from the appointment and the patient's phone as they are
 * now, sends it once per text id, and throws when the provider fails, so the queue retries it (and
 * after the last attempt keeps it in its dead-letter queue). A text whose patient has since opted
 * out, changed to no phone or been erased is skipped.
 *
 * At least once: "sent" is recorded after the provider accepted the text, so a crash between the two
 * sends it again on redelivery; a redelivery after the record is skipped.
 */
export async function deliverText(
  request: TextRequest,
  deps: TextSenderDeps,
): Promise<'sent' | 'skipped' | 'duplicate'> {
  const id = textId(request);
  if (await deps.sentTexts.wasSent(id)) return 'duplicate';
  const [appointment, patient] = await Promise.all([
    deps.appointments.get(request.appointmentId),
    deps.profiles.get(request.recipientId),
  ]);
  if (!appointment || appointment.patientId !== request.recipientId) return 'skipped';
  const to = textablePhone(patient);
  if (!to) return 'skipped';
  try {
    await deps.sms.send({
      recipientId: request.recipientId,
      to,
      body: smsText(request.kind, appointment),
      kind: request.kind,
      appointmentId: request.appointmentId,
      textId: id,
      queuedAt: request.queuedAt,
    });
  } catch (err) {
    deps.metrics.count('TextFailed');
    throw err;
  }
  deps.metrics.count('TextSent');
  await deps.sentTexts.markSent(id, deps.clock.now());
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
