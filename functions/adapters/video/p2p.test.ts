import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/appointments';
import type { BusinessEvent } from '../../core/ports';
import { TwilioNotConfigured } from '../sms/twilio';
import { p2pVideo, twilioIceServers, TURN_REUSE_MARGIN_SECONDS } from './p2p';

const creds = async () => ({
  accountSid: `AC${'1'.repeat(32)}`,
  apiKeySid: `SK${'2'.repeat(32)}`,
  apiKeySecret: 'key-secret',
});
const appointment = { appointmentId: 'a-42', end: '2026-03-02T10:20:00.000Z' } as Appointment;
const start = Date.parse('2026-03-02T10:00:00Z');
/** The call token's expiry: the room closes at end + 60 min, plus the 15-minute margin. */
const expiresAt = new Date('2026-03-02T11:35:00Z');
const fallback = [{ urls: 'stun:stun.example.test:3478' }];
const turn = { urls: 'turn:global.turn.twilio.com:3478?transport=udp', username: 'u', credential: 'c' };

/** Fake of Twilio's HTTP layer: nothing leaves the process. `hang` answers only when aborted. */
function fakeTwilio(answers: ({ status: number; body?: unknown } | 'hang')[]) {
  const calls: { url: string; form: Record<string, string>; auth: string }[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      form: Object.fromEntries(new URLSearchParams(String(init.body))),
      auth: (init.headers as Record<string, string>).authorization!,
    });
    const answer = answers.shift() ?? { status: 201, body: { ice_servers: [turn] } };
    if (answer === 'hang') {
      return new Promise<Response>((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    }
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

function setup(answers: Parameters<typeof fakeTwilio>[0], credentials = creds) {
  const fake = fakeTwilio(answers);
  const clock = { value: start };
  const warnings: { message: string; attributes: Record<string, unknown> }[] = [];
  const counted: BusinessEvent[] = [];
  const video = p2pVideo(
    twilioIceServers(credentials, {
      fallback,
      fetch: fake.impl,
      now: () => clock.value,
      timeoutMs: 20,
      log: { warn: (message, attributes) => void warnings.push({ message, attributes }) },
      metrics: { count: (event) => void counted.push(event) },
    }),
  );
  const join = () => video.join(appointment, { userId: 'pat', role: 'patient' }, expiresAt, false);
  return { fake, clock, warnings, counted, join };
}

describe('TURN credentials from Twilio NTS', () => {
  it('asks with the API key for credentials living until the call token expires', async () => {
    const { fake, join, counted } = setup([{ status: 201, body: { ice_servers: [turn] } }]);
    await expect(join()).resolves.toMatchObject({ provider: 'p2p', iceServers: [turn] });
    expect(fake.calls).toEqual([
      {
        url: `https://api.twilio.com/2010-04-01/Accounts/AC${'1'.repeat(32)}/Tokens.json`,
        form: { Ttl: String((expiresAt.getTime() - start) / 1000) },
        auth: `Basic ${Buffer.from(`SK${'2'.repeat(32)}:key-secret`).toString('base64')}`,
      },
    ]);
    expect(counted).toEqual([]);
  });

  it('reuses an appointment’s credentials until shortly before they expire, then asks again', async () => {
    const { fake, clock, join } = setup([]);
    await join();
    clock.value = expiresAt.getTime() - (TURN_REUSE_MARGIN_SECONDS + 1) * 1000;
    await join();
    expect(fake.calls).toHaveLength(1);
    clock.value = expiresAt.getTime() - TURN_REUSE_MARGIN_SECONDS * 1000;
    await join();
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]!.form.Ttl).toBe(String(TURN_REUSE_MARGIN_SECONDS));
  });

  it('starts the call with the configured ICE servers on 401/20003, logging the status and code', async () => {
    const { join, warnings, counted } = setup([
      { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } },
    ]);
    await expect(join()).resolves.toMatchObject({ provider: 'p2p', iceServers: fallback });
    expect(warnings).toEqual([
      {
        message: expect.stringContaining('TURN credentials unavailable'),
        attributes: { appointmentId: 'a-42', reason: 'http', status: 401, twilioCode: 20003 },
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('key-secret');
    expect(counted).toEqual(['TurnUnavailable']);
  });

  it('does not keep a failure: the next join asks Twilio again', async () => {
    const { fake, join } = setup([{ status: 503 }]);
    await expect(join()).resolves.toMatchObject({ iceServers: fallback });
    await expect(join()).resolves.toMatchObject({ iceServers: [turn] });
    expect(fake.calls).toHaveLength(2);
  });

  it('does not keep an answer without servers', async () => {
    const { fake, join, warnings } = setup([{ status: 201, body: {} }]);
    await expect(join()).resolves.toMatchObject({ iceServers: fallback });
    expect(warnings[0]!.attributes).toEqual({ appointmentId: 'a-42', reason: 'no_servers', status: 201 });
    await expect(join()).resolves.toMatchObject({ iceServers: [turn] });
    expect(fake.calls).toHaveLength(2);
  });

  it('falls back when Twilio does not answer in time', async () => {
    const { join, warnings, counted } = setup(['hang']);
    await expect(join()).resolves.toMatchObject({ iceServers: fallback });
    expect(warnings[0]!.attributes).toEqual({ appointmentId: 'a-42', reason: 'timeout' });
    expect(counted).toEqual(['TurnUnavailable']);
  });

  it('falls back while the Twilio secret is still the placeholder', async () => {
    const { fake, join, warnings } = setup([], async () => {
      throw new TwilioNotConfigured('The Twilio secret lacks apiKeySid');
    });
    await expect(join()).resolves.toMatchObject({ iceServers: fallback });
    expect(fake.calls).toEqual([]);
    expect(warnings[0]!.attributes).toEqual({ appointmentId: 'a-42', reason: 'not_configured' });
  });
});
