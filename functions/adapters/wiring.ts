/** Composition root: the real adapters behind core's ports, created once per Lambda container. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { AccountDeps } from '../core/accounts';
import type { AppointmentDeps } from '../core/appointments';
import { systemClock, type ReminderScheduler, type SmsSender } from '../core/ports';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { cognitoClient } from './cognito/client';
import { cognitoDirectory } from './cognito/directory';
import { dynamoAppointments, dynamoTimeLocks } from './dynamo/appointments';
import { dynamoAudit } from './dynamo/audit';
import { dynamoProfiles } from './dynamo/profiles';
import { eventBridgeReminders } from './reminders/eventbridge';
import { tableReminders } from './reminders/local';
import { outboxSms } from './sms/outbox';
import { secretsManagerCredentials } from './sms/secrets';
import { twilioSms } from './sms/twilio';

export const accountDeps: AccountDeps = {
  directory: cognitoDirectory(cognitoClient, config.userPoolId),
  profiles: dynamoProfiles,
  audit: dynamoAudit,
  clock: systemClock,
};

function smsSender(): SmsSender {
  if (config.smsProvider !== 'twilio') return outboxSms;
  if (!config.twilioSecretArn) throw new Error('SMS_PROVIDER=twilio needs TWILIO_SECRET_ARN');
  return twilioSms(secretsManagerCredentials(config.twilioSecretArn));
}

function reminderScheduler(): ReminderScheduler {
  if (config.reminderScheduler !== 'eventbridge') return tableReminders;
  if (!config.reminderTargetArn || !config.schedulerRoleArn) {
    throw new Error('REMINDER_SCHEDULER=eventbridge needs REMINDER_TARGET_ARN and SCHEDULER_ROLE_ARN');
  }
  return eventBridgeReminders(new SchedulerClient({ region: config.region }), {
    targetArn: config.reminderTargetArn,
    roleArn: config.schedulerRoleArn,
    group: config.scheduleGroup,
  });
}

export const appointmentDeps: AppointmentDeps = {
  appointments: dynamoAppointments,
  locks: dynamoTimeLocks,
  profiles: dynamoProfiles,
  reminders: reminderScheduler(),
  sms: smsSender(),
  audit: dynamoAudit,
  clock: systemClock,
  log: logger,
  policy: {
    changeCutoffMinutes: config.appointmentChangeCutoffMinutes,
    reminderMinutesBefore: config.reminderMinutesBefore,
  },
};
