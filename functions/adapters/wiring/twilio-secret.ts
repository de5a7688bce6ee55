import { config } from '../../lib/config';
import { secretsManagerCredentials, type TwilioSecret } from '../sms/secrets';

let secret: (() => Promise<TwilioSecret>) | undefined;

/** The Twilio secret reader, created on first use so functions that never need Twilio never configure it. */
export function twilioSecret(): () => Promise<TwilioSecret> {
  if (!config.twilioSecretArn) throw new Error('Twilio is configured but TWILIO_SECRET_ARN is not set');
  secret ??= secretsManagerCredentials(config.twilioSecretArn);
  return secret;
}
