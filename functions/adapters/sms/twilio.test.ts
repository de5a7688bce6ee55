import { describe, expect, it } from 'vitest';
import { TwilioError, twilioSms } from './twilio';

const creds = async () => ({
  accountSid: 'AC123',
  apiKeySid: 'SK123',
  apiKeySecret: 'key-secret',
  fromNumber: '+15005550006',
});
const message = {
  recipientId: 'user-1',
  to: '+15555550100',
  body: 'Telehealth: hello',
  kind: 'booked' as const,
  appointmentId: 'a-1',
  textId: 'a-1.booked.1',
  queuedAt: '2026-03-10T14:00:00.000Z',
};

/** A fake of Twilio's HTTP layer: records requests, never touches the network. */
function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('twilioSms', () => {
  it('posts the message form to the account’s Messages resource with the API key', async () => {
    const fake = fakeFetch(201, { sid: 'SM1' });
    await twilioSms(creds, fake.impl).send(message);
    expect(fake.calls).toHaveLength(1);
    const { url, init } = fake.calls[0]!;
    expect(url).toBe('https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json');
    expect((init.headers as Record<string, string>).authorization).toBe(
      `Basic ${Buffer.from('SK123:key-secret').toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      To: '+15555550100',
      Body: 'Telehealth: hello',
      From: '+15005550006',
    });
  });

  it('prefers a messaging service when configured', async () => {
    const fake = fakeFetch(201, {});
    await twilioSms(
      async () => ({ accountSid: 'AC1', apiKeySid: 'SK1', apiKeySecret: 't', messagingServiceSid: 'MG9' }),
      fake.impl,
    ).send(message);
    expect(new URLSearchParams(String(fake.calls[0]!.init.body)).get('MessagingServiceSid')).toBe('MG9');
  });

  it('turns an error answer into a TwilioError carrying status and code only', async () => {
    const fake = fakeFetch(400, { code: 21211, message: "The 'To' number +15555550100 is not valid" });
    const error = await twilioSms(creds, fake.impl)
      .send(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioError);
    expect(error).toMatchObject({ status: 400, code: 21211 });
    expect(String((error as Error).message)).not.toContain('+1555');
  });
});
