/** The configured SMS provider (Twilio on AWS, the outbox locally), created on the first text. */
import type { SmsSender } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { DynamoTable } from '../dynamo/client';
import { outboxSms } from '../sms/outbox';
import { twilioSms } from '../sms/twilio';
import type { TwilioSecretSource } from './twilio-secret';

export interface SmsContext {
  config: Config;
  table: DynamoTable;
  twilioSecret: TwilioSecretSource;
}

export function smsSender({ config, table, twilioSecret }: SmsContext): SmsSender {
  let sms: SmsSender | undefined;
  const create = () => (config.smsProvider === 'twilio' ? twilioSms(twilioSecret()) : outboxSms(table));
  return { send: (message) => (sms ??= create()).send(message) };
}
