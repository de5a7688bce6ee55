import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { describe, expect, it } from 'vitest';
import { TwilioNotConfigured } from './twilio';
import { twilioWebhookSignature } from './twilio-webhook';

const URL = 'https://api.example/v1/webhooks/twilio/messages';
const TOKEN = 'test-auth-token';
const creds = (authToken?: string) => async () => ({
  accountSid: 'AC1',
  apiKeySid: 'SK1',
  apiKeySecret: 's',
  authToken,
});
const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };

describe('twilioWebhookSignature', () => {
  it('accepts a post signed with the auth token over the exact URL and fields', async () => {
    const check = twilioWebhookSignature(creds(TOKEN), URL);
    expect(await check.isValid(getExpectedTwilioSignature(TOKEN, URL, params), params)).toBe(true);
  });

  it('refuses a missing signature, another token, another URL or changed fields', async () => {
    const check = twilioWebhookSignature(creds(TOKEN), URL);
    expect(await check.isValid(undefined, params)).toBe(false);
    expect(await check.isValid(getExpectedTwilioSignature('other', URL, params), params)).toBe(false);
    expect(await check.isValid(getExpectedTwilioSignature(TOKEN, `${URL}x`, params), params)).toBe(false);
    const signed = getExpectedTwilioSignature(TOKEN, URL, params);
    expect(await check.isValid(signed, { ...params, MessageStatus: 'failed' })).toBe(false);
  });

  it('cannot check anything without the auth token in the secret', async () => {
    const check = twilioWebhookSignature(creds(undefined), URL);
    await expect(check.isValid('sig', params)).rejects.toBeInstanceOf(TwilioNotConfigured);
  });
});
