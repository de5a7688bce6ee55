import type { Appointment } from '../../shared/appointments';
import { formatDateTimeWithZone } from '../../shared/time-format';
import type { BusinessMetrics, Clock, ProfileRepository, SmsMessage, SmsSender } from './ports';

export interface Log {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface NotificationDeps {
  sms: SmsSender;
  profiles: ProfileRepository;
  log: Log;
  metrics: BusinessMetrics;
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
}

export type NotificationKind = SmsMessage['kind'];

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

const RETRY_DELAYS_MS = [200, 800];
/** Texting may not hold a booking response longer than this, retries included. */
const SMS_BUDGET_MS = 6_000;
/** The longest one attempt can take (the SMS adapters time out by then). */
const SMS_ATTEMPT_MS = 2_500;

/**
 * Sends one text to the patient if they opted in, counted as `TextSent` or `TextFailed`. Failures
 * are retried, then logged without PHI; they never fail the booking that caused them.
 */
export async function notifyPatient(
  kind: NotificationKind,
  appointment: Appointment,
  deps: NotificationDeps,
): Promise<boolean> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
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
  if (!patient?.smsOptIn || !patient.phone) return false;
  const message: SmsMessage = {
    recipientId: appointment.patientId,
    to: patient.phone,
    body: smsText(kind, appointment),
    kind,
    appointmentId: appointment.appointmentId,
  };
  const startedAt = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.sms.send(message);
      deps.metrics.count('TextSent');
      return true;
    } catch (err) {
      const delay = RETRY_DELAYS_MS[attempt] ?? 0;
      const outOfTime = Date.now() - startedAt + delay + SMS_ATTEMPT_MS > SMS_BUDGET_MS;
      if (attempt >= RETRY_DELAYS_MS.length || outOfTime) {
        deps.log.warn('sms failed', {
          appointmentId: appointment.appointmentId,
          kind,
          attempts: attempt + 1,
          errorName: (err as Error).name,
        });
        deps.metrics.count('TextFailed');
        return false;
      }
      await sleep(RETRY_DELAYS_MS[attempt]!);
    }
  }
}

/**
 * Fired by the reminder schedule. The appointment may have moved or been cancelled since the
 * schedule was made, so it is re-read and only a still-due reminder is sent.
 */
export async function sendReminder(
  appointment: Appointment | undefined,
  reminderMinutesBefore: number,
  deps: NotificationDeps,
): Promise<'sent' | 'skipped'> {
  if (!appointment || (appointment.status !== 'booked' && appointment.status !== 'checked_in'))
    return 'skipped';
  const now = deps.clock.now().getTime();
  const start = Date.parse(appointment.start);
  const due = start - reminderMinutesBefore * 60_000;
  if (now < due - 60_000 || now >= start) return 'skipped';
  return (await notifyPatient('reminder', appointment, deps)) ? 'sent' : 'skipped';
}
