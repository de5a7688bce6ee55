import type { Config } from '../../lib/config';
import { secretsManagerCredentials } from '../sms/secrets';
import { TwilioNotConfigured, type TwilioCredentialSource } from '../sms/twilio';

export type TwilioSecretSource = () => TwilioCredentialSource;

/**
 * The Twilio secret reader of one composition, created on first use so functions that never need
 * Twilio never configure it (nor create a Secrets Manager client).
 */
export function twilioSecret(config: Pick<Config, 'twilioSecretArn'>): TwilioSecretSource {
  let secret: TwilioCredentialSource | undefined;
  return () => {
    if (!config.twilioSecretArn) throw new TwilioNotConfigured('TWILIO_SECRET_ARN is not set');
    secret ??= secretsManagerCredentials(config.twilioSecretArn);
    return secret;
  };
}
