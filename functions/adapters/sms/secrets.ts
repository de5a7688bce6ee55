import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TwilioCredentials } from './twilio';
import type { TwilioVideoCredentials } from '../video/twilio';

/** One secret holds everything Twilio: messaging (auth token) and video (API key). */
export type TwilioSecret = TwilioCredentials & Partial<TwilioVideoCredentials>;

/** Reads the Twilio secret once per container and keeps it for five minutes (rotation-friendly). */
export function secretsManagerCredentials(secretArn: string, client = new SecretsManagerClient({})) {
  let cached: { value: TwilioSecret; at: number } | undefined;
  return async (): Promise<TwilioSecret> => {
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.value;
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new Error('The Twilio secret is empty');
    cached = { value: JSON.parse(SecretString) as TwilioSecret, at: Date.now() };
    return cached.value;
  };
}
