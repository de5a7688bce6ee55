/** The reminder scheduler of the routes that schedule reminders (capability `reminders`) only. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ReminderScheduler } from '../../core/ports';
import { ConfigurationError } from '../../lib/config';
import { logSlowCallsOnLambda } from '../../lib/telemetry';
import { eventBridgeReminders } from '../reminders/eventbridge';
import { tableReminders } from '../reminders/local';
import type { AppointmentsContext } from './appointments';

export function reminderScheduler({ config, table }: AppointmentsContext): ReminderScheduler {
  if (config.reminderScheduler === 'local') return tableReminders(table);
  // Bound only to functions whose route schedules reminders (capability `reminders`).
  if (!config.reminderTargetArn || !config.schedulerRoleArn || !config.scheduleGroup) {
    throw new ConfigurationError(
      'REMINDER_SCHEDULER=eventbridge needs REMINDER_TARGET_ARN, SCHEDULER_ROLE_ARN and SCHEDULE_GROUP',
    );
  }
  if (!config.reminderDeadLetterArn) {
    throw new ConfigurationError('REMINDER_SCHEDULER=eventbridge needs REMINDER_DLQ_ARN');
  }
  return eventBridgeReminders(logSlowCallsOnLambda(new SchedulerClient({ region: config.region })), {
    targetArn: config.reminderTargetArn,
    roleArn: config.schedulerRoleArn,
    group: config.scheduleGroup,
    deadLetterArn: config.reminderDeadLetterArn,
  });
}
