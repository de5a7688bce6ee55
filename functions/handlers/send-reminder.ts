import { sendReminder } from '../core/notifications';
import { startVisitRescue } from '../core/rescue';
import { reminderJobArea } from '../adapters/wiring/reminder-job';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { logger } from '../lib/logger';

/**
 * Invoked by a visit's schedules (EventBridge Scheduler on AWS, the scheduler loop locally): the
 * reminder before it, and at its start (`job: 'visit-start'`) the no-show rescue's check.
 */
export const { area, create, handler } = lambdaHandler(
  reminderJobArea,
  (deps) =>
    async function sendReminderHandler(event: { appointmentId?: unknown; job?: unknown }) {
      if (typeof event?.appointmentId !== 'string') {
        logger.warn('reminder without appointment id');
        return { result: 'skipped' };
      }
      const appointment = await deps.appointments.get(event.appointmentId);
      const result =
        event.job === 'visit-start'
          ? await startVisitRescue(appointment, deps)
          : await sendReminder(appointment, deps.policy.reminderMinutesBefore, deps);
      logger.info(event.job === 'visit-start' ? 'visit start' : 'reminder', {
        appointmentId: event.appointmentId,
        result,
      });
      return { result };
    },
);
