import { sendReminder } from '../core/notifications';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { config } from '../lib/config';
import { logger } from '../lib/logger';

/** Invoked by the reminder schedule (EventBridge Scheduler on AWS, the scheduler loop locally). */
export async function handler(event: { appointmentId?: unknown }) {
  if (typeof event?.appointmentId !== 'string') {
    logger.warn('reminder without appointment id');
    return { result: 'skipped' };
  }
  const appointment = await appointmentDeps.appointments.get(event.appointmentId);
  const result = await sendReminder(appointment, config.reminderMinutesBefore, appointmentDeps);
  logger.info('reminder', { appointmentId: event.appointmentId, result });
  return { result };
}
