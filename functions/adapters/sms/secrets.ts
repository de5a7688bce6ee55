import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { TwilioNotConfigured, type TwilioCredentials } from './twilio';

/**
 * One secret holds everything Twilio (infra/aws/README.md): the account SID and an API key (SK…)
 * with its secret, which send texts, fetch TURN credentials and sign Video tokens; and the sender.
 */
export type TwilioSecret = TwilioCredentials;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && value !== 'REPLACE_ME' ? value : undefined;

/**
 * The secret's JSON as credentials, or TwilioNotConfigured naming the missing fields (never a
 * value): the placeholder the stack creates has no API key and `accountSid: "REPLACE_ME"`.
 */
export function parseTwilioSecret(text: string | undefined): TwilioSecret {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    throw new TwilioNotConfigured('The Twilio secret is not JSON');
  }
  const accountSid = str(json.accountSid);
  const apiKeySid = str(json.apiKeySid);
  const apiKeySecret = str(json.apiKeySecret);
  const missing = [
    accountSid?.startsWith('AC') ? undefined : 'accountSid',
    apiKeySid?.startsWith('SK') ? undefined : 'apiKeySid',
    apiKeySecret ? undefined : 'apiKeySecret',
  ].filter((name) => name !== undefined);
  if (missing.length > 0 || !accountSid || !apiKeySid || !apiKeySecret) {
    throw new TwilioNotConfigured(`The Twilio secret lacks ${missing.join(', ')}`);
  }
  const fromNumber = str(json.fromNumber);
  const messagingServiceSid = str(json.messagingServiceSid);
  return {
    accountSid,
    apiKeySid,
    apiKeySecret,
    ...(fromNumber ? { fromNumber } : {}),
    ...(messagingServiceSid ? { messagingServiceSid } : {}),
  };
}

/**
 * Reads the Twilio secret once per container and keeps it for five minutes (rotation-friendly).
 * A missing or unfilled secret is TwilioNotConfigured, and is not kept: filling it in takes effect
 * at the next call.
 */
export function secretsManagerCredentials(secretArn: string, client = new SecretsManagerClient({})) {
  let cached: { value: TwilioSecret; at: number } | undefined;
  return async (): Promise<TwilioSecret> => {
    if (cached && Date.now() - cached.at < 5 * 60_000) return cached.value;
    const answer = await client
      .send(new GetSecretValueCommand({ SecretId: secretArn }))
      .catch((error: unknown) => {
        if (error instanceof ResourceNotFoundException)
          throw new TwilioNotConfigured('The Twilio secret does not exist');
        throw error;
      });
    cached = { value: parseTwilioSecret(answer.SecretString), at: Date.now() };
    return cached.value;
  };
}
