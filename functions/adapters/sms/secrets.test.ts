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
});
