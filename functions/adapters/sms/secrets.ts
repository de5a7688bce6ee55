import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TwilioCredentials } from './twilio';

/** Reads the Twilio secret once per container and keeps it for five minutes (rotation-friendly). */
export function secretsManagerCredentials(secretArn: string, client = new SecretsManagerClient({})) {
  let cached: { value: TwilioCredentials; at: number } | undefined;
  return async (): Promise<TwilioCredentials> => {
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.value;
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new Error('The Twilio secret is empty');
    cached = { value: JSON.parse(SecretString) as TwilioCredentials, at: Date.now() };
    return cached.value;
  };
}
