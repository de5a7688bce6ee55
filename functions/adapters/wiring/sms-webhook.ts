/**
 * Composition of Twilio's Messaging webhook: the signature check (the Twilio secret's auth token,
 * read on first use) and what a report or a STOP/START reply changes.
 */
import { ProviderUnavailable } from '../../core/errors';
import type { SmsWebhookDeps } from '../../core/sms-webhook';
import { systemClock } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { logger } from '../../lib/logger';
import { telemetry } from '../../lib/telemetry';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoProfiles } from '../dynamo/profiles';
import { dynamoSentTexts } from '../dynamo/sent-texts';
import { TwilioNotConfigured } from '../sms/twilio';
import { twilioWebhookSignature } from '../sms/twilio-webhook';
import type { Area, Overrides } from './area';
import { sessionsOf } from './session-check';
import { smsWebhookUrl } from './sms-webhook-url';
import { twilioSecret } from './twilio-secret';

export type SmsWebhookAreaDeps = SmsWebhookDeps & HttpDeps;

export function composeSmsWebhook(config: Config, overrides: Overrides = {}): SmsWebhookAreaDeps {
  const table = dynamoTable(config);
  const url = smsWebhookUrl(config);
  const secret = twilioSecret(config);
  const check = twilioWebhookSignature((options) => (overrides.twilioCredentials ?? secret())(options), url);
  return {
    signature: {
      // No auth token to check with: 503 `sms_unavailable`, never an unchecked post.
      isValid: (signature, params) =>
        check.isValid(signature, params).catch((error: unknown) => {
          throw error instanceof TwilioNotConfigured ? new ProviderUnavailable('sms') : error;
        }),
    },
    sentTexts: dynamoSentTexts(table),
    profiles: dynamoProfiles(table),
    audit: dynamoAudit(table),
    metrics: telemetry,
    log: logger,
    clock: overrides.clock ?? systemClock,
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const smsWebhookArea: Area<SmsWebhookAreaDeps> = {
  name: 'smsWebhook',
  compose: composeSmsWebhook,
};
