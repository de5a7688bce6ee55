/**
 * Composition root for appointment handlers. Optional providers (Twilio, EventBridge Scheduler) are
 * created on first use, so a function that never texts or schedules needs none of their settings.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { AppointmentDeps } from '../../core/appointments';
import { systemClock, type ReminderScheduler, type SmsSender } from '../../core/ports';
import { config, ConfigurationError } from '../../lib/config';
import { logger } from '../../lib/logger';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoConnections } from '../dynamo/connections';
import { dynamoProfiles } from '../dynamo/profiles';
import { apiGatewayRealtime } from '../realtime';
import { eventBridgeReminders } from '../reminders/eventbridge';
import { tableReminders } from '../reminders/local';
import { outboxSms } from '../sms/outbox';
import { twilioSms } from '../sms/twilio';
import { twilioSecret } from './twilio-secret';

function createSmsSender(): SmsSender {
  return config.smsProvider === 'twilio' ? twilioSms(twilioSecret()) : outboxSms;
}

function createReminderScheduler(): ReminderScheduler {
  if (config.reminderScheduler === 'local') return tableReminders;
  // Bound only to functions whose route schedules reminders (capability `reminders`).
  if (!config.reminderTargetArn || !config.schedulerRoleArn || !config.scheduleGroup) {
    throw new ConfigurationError(
      'REMINDER_SCHEDULER=eventbridge needs REMINDER_TARGET_ARN, SCHEDULER_ROLE_ARN and SCHEDULE_GROUP',
    );
  }
  return eventBridgeReminders(new SchedulerClient({ region: config.region }), {
    targetArn: config.reminderTargetArn,
    roleArn: config.schedulerRoleArn,
    group: config.scheduleGroup,
  });
}

let sms: SmsSender | undefined;
let scheduler: ReminderScheduler | undefined;

export const appointmentDeps: AppointmentDeps = {
  appointments: dynamoAppointments,
  profiles: dynamoProfiles,
  reminders: {
    schedule: (id, at) => (scheduler ??= createReminderScheduler()).schedule(id, at),
    cancel: (id) => (scheduler ??= createReminderScheduler()).cancel(id),
  },
  realtime: apiGatewayRealtime({
    listForUser: (id) => dynamoConnections.listForUser(id),
    remove: dynamoConnections.delete,
    warn: (message, attributes) => logger.warn(message, attributes),
  }),
  sms: { send: (message) => (sms ??= createSmsSender()).send(message) },
  audit: dynamoAudit,
  clock: systemClock,
  log: logger,
  policy: {
    changeCutoffMinutes: config.appointmentChangeCutoffMinutes,
    reminderMinutesBefore: config.reminderMinutesBefore,
  },
};
