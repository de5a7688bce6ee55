/** Composition root: the real adapters behind core's ports, created once per Lambda container. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { AccountDeps } from '../core/accounts';
import type { AppointmentDeps } from '../core/appointments';
import type { LiveDeps } from '../core/live';
import { systemClock, type ReminderScheduler, type SmsSender, type VideoProvider } from '../core/ports';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { cognitoClient } from './cognito/client';
import { cognitoDirectory } from './cognito/directory';
import { dynamoAppointments, dynamoTimeLocks } from './dynamo/appointments';
import { dynamoAudit } from './dynamo/audit';
import { dynamoConnectionDirectory, dynamoConnections } from './dynamo/connections';
import { dynamoChat, dynamoConsents } from './dynamo/live';
import { apiGatewayRealtime } from './realtime';
import { p2pVideo, twilioIceServers } from './video/p2p';
import { twilioVideo } from './video/twilio';
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

const twilioSecret = config.twilioSecretArn ? secretsManagerCredentials(config.twilioSecretArn) : undefined;

function requireTwilioSecret() {
  if (!twilioSecret) throw new Error('Twilio is configured but TWILIO_SECRET_ARN is not set');
  return twilioSecret;
}

function smsSender(): SmsSender {
  if (config.smsProvider !== 'twilio') return outboxSms;
  return twilioSms(requireTwilioSecret());
}

function videoProvider(): VideoProvider {
  if (config.videoProvider === 'twilio') {
    const secret = requireTwilioSecret();
    return twilioVideo(async () => {
      const s = await secret();
      if (!s.apiKeySid || !s.apiKeySecret) throw new Error('The Twilio secret has no API key for Video');
      return { accountSid: s.accountSid, apiKeySid: s.apiKeySid, apiKeySecret: s.apiKeySecret };
    });
  }
  if (config.iceFromTwilio) return p2pVideo(twilioIceServers(requireTwilioSecret()));
  return p2pVideo(async () => config.iceServers);
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
  realtime: apiGatewayRealtime({
    listForUser: (id) => dynamoConnections.listForUser(id),
    remove: dynamoConnections.delete,
  }),
  sms: smsSender(),
  audit: dynamoAudit,
  clock: systemClock,
  log: logger,
  policy: {
    changeCutoffMinutes: config.appointmentChangeCutoffMinutes,
    reminderMinutesBefore: config.reminderMinutesBefore,
  },
};

export const liveDeps: LiveDeps = {
  ...appointmentDeps,
  connections: dynamoConnectionDirectory,
  consents: dynamoConsents,
  chat: dynamoChat,
  video: videoProvider(),
};
