import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTwilioSecret, secretsManagerCredentials } from './secrets';
import { TwilioNotConfigured } from './twilio';

const filled = {
  accountSid: 'AC0123',
  apiKeySid: 'SK0123',
  apiKeySecret: 'key-secret-value',
  fromNumber: '+15005550006',
};
/** What the stack stores until ops fill the secret in (infra/aws/constructs/notifications.ts). */
const placeholder = { accountSid: 'REPLACE_ME', fromNumber: 'REPLACE_ME', authToken: 'generated0123' };

describe('parseTwilioSecret', () => {
  it('reads the API key shape', () => {
    expect(parseTwilioSecret(JSON.stringify(filled))).toEqual(filled);
  });

  it('refuses the placeholder and an auth-token-only secret, naming fields but no values', () => {
    for (const secret of [placeholder, { accountSid: 'AC0123', authToken: 'account-token-value' }]) {
      const attempt = () => parseTwilioSecret(JSON.stringify(secret));
      expect(attempt).toThrow(TwilioNotConfigured);
      expect(attempt).toThrow(/lacks .*apiKeySid, apiKeySecret/);
      expect(attempt).not.toThrow(/generated0123|account-token-value/);
    }
    expect(() => parseTwilioSecret('not json')).toThrow(TwilioNotConfigured);
    expect(() => parseTwilioSecret('["AC0123"]')).toThrow(TwilioNotConfigured);
  });

  it('names malformed fields without their values, and ignores an old auth token', () => {
    const malformed = {
      ...filled,
      fromNumber: '555-0100',
      messagingServiceSid: 'XX0123',
      apiKeySid: 'AC0123',
    };
    const attempt = () => parseTwilioSecret(JSON.stringify(malformed));
    expect(attempt).toThrow('The Twilio secret lacks apiKeySid, fromNumber, messagingServiceSid');
    expect(attempt).not.toThrow(/555-0100|XX0123/);
    // The auth token is kept for webhook signatures; unknown fields are dropped.
    expect(
      parseTwilioSecret(
        JSON.stringify({ ...filled, authToken: 'tok', messagingServiceSid: 'MG01', extra: 'x' }),
      ),
    ).toEqual({ ...filled, authToken: 'tok', messagingServiceSid: 'MG01' });
  });
});

describe('secretsManagerCredentials', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());

  it('turns a missing secret into TwilioNotConfigured, and does not keep a failure', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }))
      .resolves({ SecretString: JSON.stringify(filled) });
    const read = secretsManagerCredentials('arn:secret', new SecretsManagerClient({}));
    await expect(read()).rejects.toBeInstanceOf(TwilioNotConfigured);
    await expect(read()).resolves.toEqual(filled);
  });

  it('keeps the secret, and reads it again when asked for fresh credentials (after a 401)', async () => {
    const rotated = { ...filled, apiKeySid: 'SK9999' };
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify(filled) })
      .resolves({ SecretString: JSON.stringify(rotated) });
    const read = secretsManagerCredentials('arn:secret', new SecretsManagerClient({}));
    await expect(read()).resolves.toEqual(filled);
    await expect(read()).resolves.toEqual(filled);
    await expect(read({ fresh: true })).resolves.toEqual(rotated);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
