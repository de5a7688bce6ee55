import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import * as v from 'valibot';
import { TwilioNotConfigured, type TwilioCredentialSource, type TwilioCredentials } from './twilio';

/**
 * One secret holds everything Twilio (infra/aws/README.md): the account SID and an API key (SK…)
 * with its secret, which send texts, fetch TURN credentials and sign Video tokens; and the sender
 * (a Messaging Service, preferred, or a number); and the account's auth token, which only checks
 * the signature of Twilio's webhooks (Twilio signs them with it; an API key cannot).
 */
export type TwilioSecret = TwilioCredentials;

const TwilioSecretSchema = v.object({
  accountSid: v.pipe(v.string(), v.startsWith('AC')),
  apiKeySid: v.pipe(v.string(), v.startsWith('SK')),
  apiKeySecret: v.pipe(v.string(), v.minLength(1)),
  fromNumber: v.optional(v.pipe(v.string(), v.regex(/^\+[1-9]\d{1,14}$/))),
  messagingServiceSid: v.optional(v.pipe(v.string(), v.startsWith('MG'))),
  authToken: v.optional(v.pipe(v.string(), v.minLength(1))),
});
const FIELDS = Object.keys(TwilioSecretSchema.entries);

/** The stack's placeholder (`REPLACE_ME`) and empty strings count as not filled in. */
const filledIn = (json: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(json).filter(([, value]) => value !== '' && value !== 'REPLACE_ME'));

/**
 * The secret's JSON as credentials, or TwilioNotConfigured naming the missing or malformed fields
 * (never a value): the placeholder the stack creates has no API key and `accountSid: "REPLACE_ME"`.
 */
export function parseTwilioSecret(text: string | undefined): TwilioSecret {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    throw new TwilioNotConfigured('The Twilio secret is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TwilioNotConfigured('The Twilio secret is not a JSON object');
  }
  const result = v.safeParse(TwilioSecretSchema, filledIn(json as Record<string, unknown>));
  if (result.success) return result.output;
  const wrong = new Set(result.issues.map((issue) => v.getDotPath(issue)));
  throw new TwilioNotConfigured(`The Twilio secret lacks ${FIELDS.filter((f) => wrong.has(f)).join(', ')}`);
}

/**
 * Reads the Twilio secret once per container and keeps it for five minutes (rotation-friendly);
 * `fresh` (after Twilio answered 401) drops what is kept and reads it again. A missing or unfilled
 * secret is TwilioNotConfigured, and is not kept: filling it in takes effect at the next call.
 */
export function secretsManagerCredentials(
  secretArn: string,
  client = new SecretsManagerClient({}),
): TwilioCredentialSource {
  let cached: { value: TwilioSecret; at: number } | undefined;
  return async ({ fresh = false } = {}) => {
    if (fresh) cached = undefined;
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
