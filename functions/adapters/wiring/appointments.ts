/**
 * Composition root for appointment handlers. Optional providers (Twilio, EventBridge Scheduler) are
 * created on first use, so a function that never texts or schedules needs none of their settings.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AppointmentDeps } from '../../core/appointments';
import type { TextSenderDeps } from '../../core/notifications';
import {
  systemClock,
  type Clock,
  type ReminderScheduler,
  type SmsSender,
  type TextQueue,
} from '../../core/ports';
import { ConfigurationError, type Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { logger } from '../../lib/logger';
import { telemetry, traced } from '../../lib/telemetry';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable, type DynamoTable } from '../dynamo/client';
import { dynamoConnections } from '../dynamo/connections';
import { dynamoProfiles } from '../dynamo/profiles';
import { dynamoRateLimiter } from '../dynamo/rate-limits';
import { dynamoSentTexts } from '../dynamo/sent-texts';
import { apiGatewayRealtime, type ManagementApi } from '../realtime';
import { eventBridgeReminders } from '../reminders/eventbridge';
import { tableReminders } from '../reminders/local';
import { outboxSms } from '../sms/outbox';
import { sqsTextQueue } from '../sms/sqs-queue';
import { twilioSms } from '../sms/twilio';
import type { Area, Overrides } from './area';
import { twilioSecret, type TwilioSecretSource } from './twilio-secret';
import { connectionsApi } from './ws';
import { sessionsOf } from './session-check';
import { smsWebhookUrl } from './sms-webhook-url';

/** What the appointment and live compositions share: one table client, one @connections client, ... */
export interface AppointmentsContext {
  config: Config;
  table: DynamoTable;
  clock: Clock;
  connectionsApi: ManagementApi;
  twilioSecret: TwilioSecretSource;
  overrides: Overrides;
}

export function appointmentsContext(config: Config, overrides: Overrides = {}): AppointmentsContext {
  return {
    config,
    table: dynamoTable(config),
    clock: overrides.clock ?? systemClock,
    connectionsApi: connectionsApi(config, overrides),
    twilioSecret: twilioSecret(config),
    overrides,
  };
}

/** Only the send-text function sends; everything else queues (see createTextQueue). */
function createSmsSender({ config, table, twilioSecret, overrides }: AppointmentsContext): SmsSender {
  if (overrides.sms) return overrides.sms;
  return config.smsProvider === 'twilio'
    ? twilioSms(twilioSecret(), fetch, { statusCallback: smsWebhookUrl(config) })
    : outboxSms(table);
}

function createTextQueue({ config, overrides }: AppointmentsContext): TextQueue {
  if (overrides.texts) return overrides.texts;
  // Bound only to functions whose route texts (capability `sms`).
  if (!config.textQueueUrl) throw new ConfigurationError('Texting needs TEXT_QUEUE_URL');
  return sqsTextQueue(new SQSClient({ region: config.region }), config.textQueueUrl);
}

function createReminderScheduler({ config, table }: AppointmentsContext): ReminderScheduler {
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
  return eventBridgeReminders(traced(new SchedulerClient({ region: config.region })), {
    targetArn: config.reminderTargetArn,
    roleArn: config.schedulerRoleArn,
    group: config.scheduleGroup,
    deadLetterArn: config.reminderDeadLetterArn,
  });
}

export type AppointmentsDeps = AppointmentDeps & TextSenderDeps & HttpDeps;

export function appointmentDeps(context: AppointmentsContext): AppointmentsDeps {
  const { config, table } = context;
  const connections = dynamoConnections(table);
  let sms: SmsSender | undefined;
  let texts: TextQueue | undefined;
  let scheduler: ReminderScheduler | undefined;
  return {
    appointments: dynamoAppointments(table),
    profiles: dynamoProfiles(table),
    reminders: {
      schedule: (id, at) => (scheduler ??= createReminderScheduler(context)).schedule(id, at),
      cancel: (id) => (scheduler ??= createReminderScheduler(context)).cancel(id),
    },
    realtime: apiGatewayRealtime({
      listForUser: (id) => connections.listForUser(id),
      remove: connections.delete,
      api: context.connectionsApi,
      warn: (message, attributes) => logger.warn(message, attributes),
    }),
    sms: { send: (message) => (sms ??= createSmsSender(context)).send(message) },
    texts: { enqueue: (request) => (texts ??= createTextQueue(context)).enqueue(request) },
    sentTexts: dynamoSentTexts(table),
    audit: dynamoAudit(table),
    rateLimiter: dynamoRateLimiter(table),
    clock: context.clock,
    log: logger,
    metrics: telemetry,
    policy: {
      changeCutoffMinutes: config.appointmentChangeCutoffMinutes,
      minNoticeMinutes: config.appointmentMinNoticeMinutes,
      reminderMinutesBefore: config.reminderMinutesBefore,
      maxUpcomingAppointments: config.maxUpcomingAppointments,
      bookingsPerMinute: config.bookingsPerMinute,
    },
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
    practiceName: config.practiceName,
  };
}

export function composeAppointments(config: Config, overrides?: Overrides): AppointmentsDeps {
  return appointmentDeps(appointmentsContext(config, overrides));
}

export const appointmentsArea: Area<AppointmentsDeps> = {
  name: 'appointments',
  compose: composeAppointments,
};
