/** The configured SMS provider (Twilio on AWS, the outbox locally), created on the first text. */
import { ProviderUnavailable } from '../../core/errors';
import type { SmsSender } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { DynamoTable } from '../dynamo/client';
import { outboxSms } from '../sms/outbox';
import { TwilioNotConfigured, twilioSms } from '../sms/twilio';
import { smsWebhookUrl } from './sms-webhook-url';
import type { Overrides } from './area';
import { twilioSecret, type TwilioSecretSource } from './twilio-secret';

export interface SmsContext {
  config: Config;
  table: DynamoTable;
  twilioSecret: TwilioSecretSource;
}

/** Texts sent at once (phone codes): an unset or unfilled Twilio secret is 503 `sms_unavailable`. */
export function smsSender({ config, table, twilioSecret }: SmsContext): SmsSender {
  let sms: SmsSender | undefined;
  const create = () =>
    config.smsProvider === 'twilio'
      ? twilioSms(twilioSecret(), fetch, { statusCallback: smsWebhookUrl(config) })
      : outboxSms(table);
  return {
    send: async (message) => {
      try {
        await (sms ??= create()).send(message);
      } catch (error) {
        throw error instanceof TwilioNotConfigured ? new ProviderUnavailable('sms') : error;
      }
    },
  };
}

/** The send-text job's provider: a failure is the queue's to retry, so errors pass unchanged. */
export function providerSms({
  config,
  table,
  overrides,
}: {
  config: Config;
  table: DynamoTable;
  overrides: Overrides;
}): SmsSender {
  if (overrides.sms) return overrides.sms;
  return config.smsProvider === 'twilio'
    ? twilioSms(twilioSecret(config)(), fetch, { statusCallback: smsWebhookUrl(config) })
    : outboxSms(table);
}
