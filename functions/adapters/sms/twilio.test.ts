import { describe, expect, it } from 'vitest';
import { deliverText } from '../../core/notifications';
import { SmsOutcomeUnknown } from '../../core/ports';
import { inMemoryDeps } from '../../core/testing/in-memory';
import { textedAppointment } from '../../core/testing/fixtures';
import { TwilioError, twilioSms, type TwilioCredentials } from './twilio';

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

  it('asks for delivery reports at the status callback and answers the Message SID', async () => {
    const fake = fakeFetch(201, { sid: 'SM42' });
    const callback = 'https://api.example/v1/webhooks/twilio/messages';
    const sent = await twilioSms(creds, fake.impl, { statusCallback: callback }).send(message);
    expect(sent).toEqual({ providerId: 'SM42' });
    expect(new URLSearchParams(String(fake.calls[0]!.init.body)).get('StatusCallback')).toBe(callback);
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

  it('retries Twilio’s rate limit and its own failures, never a refusal', async () => {
    const answers: [number, number, boolean][] = [
      [429, 20429, true],
      [500, 20500, true],
      [503, 20503, true],
      [400, 21610, false], // the recipient replied STOP
      [400, 21211, false], // not a valid number
      [400, 21408, false], // the region is not enabled for this account
      [403, 20003, false],
    ];
    for (const [status, code, retryable] of answers) {
      const fake = fakeFetch(status, { code, message: 'details with +15555550100' });
      const error = await twilioSms(creds, fake.impl)
        .send(message)
        .catch((e: unknown) => e);
      expect(error, `${status} ${code}`).toMatchObject({ name: 'TwilioError', status, code, retryable });
      expect(fake.calls).toHaveLength(1);
    }
  });

  it('on 401 drops the kept credentials, reads them again and tries once more', async () => {
    const reads: (boolean | undefined)[] = [];
    const rotating = async (options?: { fresh?: boolean }): Promise<TwilioCredentials> => {
      reads.push(options?.fresh);
      return { ...(await creds()), apiKeySid: options?.fresh ? 'SKnew' : 'SKold' };
    };
    const statuses = [401, 201];
    const calls: string[] = [];
    const impl = (async (_url: string, init: RequestInit) => {
      calls.push((init.headers as Record<string, string>).authorization!);
      return new Response(JSON.stringify({ code: 20003 }), { status: statuses.shift()! });
    }) as unknown as typeof fetch;
    await twilioSms(rotating, impl).send(message);
    expect(reads).toEqual([undefined, true]);
    expect(calls.map((auth) => Buffer.from(auth.slice(6), 'base64').toString().split(':')[0])).toEqual([
      'SKold',
      'SKnew',
    ]);

    // Still 401 with fresh credentials: refused for good (20003), after exactly two requests.
    const fake = fakeFetch(401, { code: 20003 });
    const error = await twilioSms(creds, fake.impl)
      .send(message)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 20003, retryable: false });
    expect(fake.calls).toHaveLength(2);
  });

  it('retries a connection that never opened; a timeout or a broken connection is an unknown outcome', async () => {
    const failing = (cause: unknown) =>
      (async () => {
        throw new TypeError('fetch failed', { cause });
      }) as unknown as typeof fetch;
    const refused = await twilioSms(creds, failing({ code: 'ECONNREFUSED' }))
      .send(message)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    const reset = await twilioSms(creds, failing({ code: 'ECONNRESET' }))
      .send(message)
      .catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(SmsOutcomeUnknown);
  });

  it('asks Twilio to drop a text it cannot deliver in time', async () => {
    const fake = fakeFetch(201, {});
    await twilioSms(creds, fake.impl).send({ ...message, kind: 'reminder', validForSeconds: 600 });
    expect(new URLSearchParams(String(fake.calls[0]!.init.body)).get('ValidityPeriod')).toBe('600');
  });
});

describe('a slow 201 (Twilio took the text, its answer came after the client gave up)', () => {
  const appointment = textedAppointment({ reason: '', patientTimeZone: undefined });

  it('does not produce a second accepted message on redelivery', async () => {
    // Twilio accepts each request as it arrives and would answer 201 once it is done: later than
    // the client waits, so fetch rejects with the timeout, as the real one does.
    const accepted: string[] = [];
    const slowTwilio = ((_url: string, init: RequestInit) => {
      accepted.push(String(init.body));
      return new Promise<Response>((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason as Error)),
      );
    }) as unknown as typeof fetch;
    const mem = inMemoryDeps({ value: new Date('2026-03-10T14:00:00Z') });
    mem.appointments.set('a-1', appointment);
    await mem.deps.profiles.put({
      userId: 'p',
      role: 'patient',
      name: 'Pat',
      email: '',
      phone: '+15555550199',
      smsOptIn: true,
      phoneVerified: true,
      createdAt: '',
    });
    mem.deps.sms = twilioSms(creds, slowTwilio, { timeoutMs: 20 });
    const request = {
      appointmentId: 'a-1',
      kind: 'booked' as const,
      recipientId: 'p',
      version: 1,
      queuedAt: '',
    };

    expect(await deliverText(request, mem.deps)).toBe('unconfirmed');
    // However often SQS hands it out again, Twilio is not asked again.
    expect(await deliverText(request, mem.deps)).toBe('unconfirmed');
    expect(await deliverText(request, mem.deps)).toBe('unconfirmed');
    expect(accepted).toHaveLength(1);
  });
});
