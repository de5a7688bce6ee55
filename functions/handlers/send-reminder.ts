import { sendReminder } from '../core/notifications';
import { reminderJobArea } from '../adapters/wiring/reminder-job';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { logger } from '../lib/logger';

/** Invoked by the reminder schedule (EventBridge Scheduler on AWS, the scheduler loop locally). */
export const { area, create, handler } = lambdaHandler(
  reminderJobArea,
  (deps) =>
    async function sendReminderHandler(event: { appointmentId?: unknown }) {
      if (typeof event?.appointmentId !== 'string') {
        logger.warn('reminder without appointment id');
        return { result: 'skipped' };
      }
      const appointment = await deps.appointments.get(event.appointmentId);
      const result = await sendReminder(appointment, deps.policy.reminderMinutesBefore, deps);
      logger.info('reminder', { appointmentId: event.appointmentId, result });
      return { result };
    },
);
