import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/appointments';
import { roomNameFor, twilioVideo } from './twilio';

const creds = async () => ({
  accountSid: `AC${'1'.repeat(32)}`,
  apiKeySid: `SK${'2'.repeat(32)}`,
  apiKeySecret: 'key-secret',
});
const appointment = { appointmentId: 'a-42', end: '2026-03-02T10:20:00.000Z' } as Appointment;
const now = Date.parse('2026-03-02T10:00:00Z');

/** Fake of Twilio's HTTP layer: nothing leaves the process. */
function fakeTwilio(answers: { status: number; body?: unknown }[]) {
  const calls: { url: string; form: Record<string, string>; auth: string }[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      form: Object.fromEntries(new URLSearchParams(String(init.body))),
      auth: (init.headers as Record<string, string>).authorization!,
    });
    const answer = answers.shift() ?? { status: 200, body: {} };
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe('twilio video provider', () => {
  it('creates a two-person group room named after the appointment, without recording, whose participants stay as long as their token', async () => {
    const fake = fakeTwilio([{ status: 201, body: { sid: 'RM1' } }]);
    await twilioVideo(creds, { fetch: fake.impl, now: () => now }).join(
      appointment,
      { userId: 'pat', role: 'patient' },
      new Date('2026-03-02T10:35:00Z'),
      false,
    );
    expect(fake.calls[0]).toMatchObject({
      url: 'https://video.twilio.com/v1/Rooms',
      form: {
        UniqueName: 'appt-a-42',
        Type: 'group',
        MaxParticipants: '2',
        MaxParticipantDuration: String(35 * 60),
        RecordParticipantsOnConnect: 'false',
      },
    });
  });

  it('mints a token whose only grant is this room, for this identity, expiring when asked', async () => {
    const fake = fakeTwilio([{ status: 400, body: { code: 53113, message: 'Room exists' } }]);
    // The token library stamps iat/exp from the real clock, so this test uses it too.
    const visitEndPlus15 = new Date(Date.now() + 35 * 60_000);
    const info = await twilioVideo(creds, { fetch: fake.impl }).join(
      appointment,
      { userId: 'pat', role: 'patient' },
      visitEndPlus15,
      false,
    );
    expect(info).toMatchObject({ provider: 'twilio', roomName: roomNameFor(appointment) });
    if (info.provider !== 'twilio') throw new Error('wrong provider');
    const claims = decode(info.token);
    expect(claims.grants).toEqual({ identity: 'pat', video: { room: 'appt-a-42' } });
    expect(claims.sub).toBe(`AC${'1'.repeat(32)}`);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(35 * 60);
    expect(claims.exp * 1000).toBeLessThanOrEqual(visitEndPlus15.getTime() + 1000);
    expect(claims.exp * 1000).toBeGreaterThan(visitEndPlus15.getTime() - 5000);
  });

  it('caps the token lifetime even for a long visit', async () => {
    const fake = fakeTwilio([{ status: 201 }]);
    const info = await twilioVideo(creds, { fetch: fake.impl, now: () => now }).join(
      appointment,
      { userId: 'doc', role: 'doctor' },
      new Date(now + 24 * 3600_000),
      false,
    );
    const claims = decode((info as { token: string }).token);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(4 * 3600);
    expect(fake.calls[0]!.form.MaxParticipantDuration).toBe(String(4 * 3600));
  });

  it('asks for the ten minutes Twilio requires at least when the token is shorter', async () => {
    const fake = fakeTwilio([{ status: 201 }]);
    await twilioVideo(creds, { fetch: fake.impl, now: () => now }).join(
      appointment,
      { userId: 'doc', role: 'doctor' },
      new Date(now + 2 * 60_000),
      false,
    );
    expect(fake.calls[0]!.form.MaxParticipantDuration).toBe('600');
  });

  it('fails clearly when Twilio refuses the room for another reason', async () => {
    const fake = fakeTwilio([{ status: 401, body: { code: 20003 } }]);
    await expect(
      twilioVideo(creds, { fetch: fake.impl, now: () => now }).join(
        appointment,
        { userId: 'p', role: 'patient' },
        new Date(now + 60_000),
        false,
      ),
    ).rejects.toThrow('could not create the room (401/20003)');
  });

  it('completes the room at the end and sets recording rules only on request', async () => {
    const fake = fakeTwilio([{ status: 200 }, { status: 200 }]);
    const video = twilioVideo(creds, { fetch: fake.impl, now: () => now });
    await video.end(appointment);
    await video.setRecording(appointment, true);
    expect(fake.calls.map((c) => [c.url, c.form])).toEqual([
      ['https://video.twilio.com/v1/Rooms/appt-a-42', { Status: 'completed' }],
      [
        'https://video.twilio.com/v1/Rooms/appt-a-42/RecordingRules',
        { Rules: '[{"type":"include","all":true}]' },
      ],
    ]);
  });
});
