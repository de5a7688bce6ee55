import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/appointments';
import { RecordingUnavailable, VideoProviderError } from '../../core/ports';
import { RECORDING_RULE_ATTEMPTS, roomNameFor, twilioVideo } from './twilio';

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
  it('creates a group room of three (doctor, patient, one guest) named after the appointment, without recording, whose participants stay as long as their token', async () => {
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
        MaxParticipants: '3',
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

  it('completes the room at the end', async () => {
    const fake = fakeTwilio([{ status: 200 }]);
    await twilioVideo(creds, { fetch: fake.impl, now: () => now }).end(appointment);
    expect(fake.calls.map((c) => [c.url, c.form])).toEqual([
      ['https://video.twilio.com/v1/Rooms/appt-a-42', { Status: 'completed' }],
    ]);
  });
});

describe('twilio recording', () => {
  const bucket = {
    awsCredentialsSid: `CR${'a'.repeat(32)}`,
    s3Url: 'https://recordings-bucket.s3.amazonaws.com/rooms',
  };
  const ourSettings = {
    aws_storage_enabled: true,
    aws_credentials_sid: bucket.awsCredentialsSid,
    aws_s3_url: bucket.s3Url,
    encryption_enabled: false,
  };
  const noWait = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
  };
  const paths = (fake: ReturnType<typeof fakeTwilio>) =>
    fake.calls.map((c) => c.url.replace('https://video.twilio.com', ''));

  it('is unavailable without configured storage, and then never switched on', async () => {
    const fake = fakeTwilio([]);
    const video = twilioVideo(creds, { fetch: fake.impl, now: () => now });
    expect(video.recordingAvailable).toBe(false);
    await expect(video.setRecording(appointment, true)).rejects.toBeInstanceOf(RecordingUnavailable);
    expect(fake.calls).toEqual([]);
  });

  it('switches on only after Twilio shows recordings going to our bucket, checked once', async () => {
    const fake = fakeTwilio([{ status: 200, body: ourSettings }, { status: 200 }, { status: 200 }]);
    const video = twilioVideo(creds, { fetch: fake.impl, now: () => now, recording: bucket });
    expect(video.recordingAvailable).toBe(true);
    await video.setRecording(appointment, true);
    await video.setRecording(appointment, true);
    expect(paths(fake)).toEqual([
      '/v1/RecordingSettings/Default',
      '/v1/Rooms/appt-a-42/RecordingRules',
      '/v1/Rooms/appt-a-42/RecordingRules',
    ]);
  });

  it.each([
    ['storage off', { ...ourSettings, aws_storage_enabled: false }],
    ['another bucket', { ...ourSettings, aws_s3_url: 'https://elsewhere.s3.amazonaws.com/x' }],
    ['another credential', { ...ourSettings, aws_credentials_sid: `CR${'b'.repeat(32)}` }],
    ['Twilio’s own cloud', {}],
  ])('refuses to record when Twilio’s settings show %s', async (_name, settings) => {
    const fake = fakeTwilio([{ status: 200, body: settings }]);
    const video = twilioVideo(creds, { fetch: fake.impl, now: () => now, recording: bucket });
    await expect(video.setRecording(appointment, true)).rejects.toBeInstanceOf(RecordingUnavailable);
    expect(paths(fake)).toEqual(['/v1/RecordingSettings/Default']);
  });

  it('accepts encrypted recordings with our public key', async () => {
    const encryptionKeySid = `CR${'c'.repeat(32)}`;
    const fake = fakeTwilio([
      { status: 200, body: { encryption_enabled: true, encryption_key_sid: encryptionKeySid } },
      { status: 200 },
    ]);
    const video = twilioVideo(creds, { fetch: fake.impl, now: () => now, recording: { encryptionKeySid } });
    await video.setRecording(appointment, true);
    expect(fake.calls[1]!.form).toEqual({ Rules: '[{"type":"include","all":true}]' });
  });

  it('retries a withdrawal through Twilio’s rate limit and failures, with growing waits', async () => {
    const { waits, sleep } = noWait();
    const fake = fakeTwilio([
      { status: 503, body: { code: 20500 } },
      { status: 429, body: { code: 20429 } },
      { status: 200 },
    ]);
    await twilioVideo(creds, { fetch: fake.impl, recording: bucket, sleep }).setRecording(appointment, false);
    expect(fake.calls.map((c) => c.form.Rules)).toEqual(Array(3).fill('[{"type":"exclude","all":true}]'));
    expect(waits).toEqual([250, 500]);
  });

  it('gives up after a bounded number of attempts with Twilio’s status and code', async () => {
    const { waits, sleep } = noWait();
    const fake = fakeTwilio(Array.from({ length: 9 }, () => ({ status: 503, body: { code: 20500 } })));
    const failure = await twilioVideo(creds, { fetch: fake.impl, recording: bucket, sleep })
      .setRecording(appointment, false)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(VideoProviderError);
    expect(failure).toMatchObject({ status: 503, code: 20500 });
    expect(fake.calls).toHaveLength(RECORDING_RULE_ATTEMPTS);
    expect(waits).toEqual([250, 500, 1000]);
  });

  it('retries a network failure, but not a refusal that will not change', async () => {
    const { sleep } = noWait();
    let calls = 0;
    const flaky = (async () => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed');
      return new Response('{"code":20003}', { status: 401 });
    }) as unknown as typeof fetch;
    const failure = await twilioVideo(creds, { fetch: flaky, recording: bucket, sleep })
      .setRecording(appointment, false)
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 401, code: 20003 });
    expect(calls).toBe(2);
  });

  it('a withdrawal for a room that no longer exists has nothing to stop', async () => {
    const fake = fakeTwilio([{ status: 404, body: { code: 20404 } }]);
    await expect(
      twilioVideo(creds, { fetch: fake.impl, recording: bucket }).setRecording(appointment, false),
    ).resolves.toBeUndefined();
  });

  it('a new room records at once when both consented; an existing one is left as it is', async () => {
    const fake = fakeTwilio([{ status: 201 }, { status: 200, body: ourSettings }, { status: 200 }]);
    const video = twilioVideo(creds, { fetch: fake.impl, now: () => now, recording: bucket });
    const info = await video.join(
      appointment,
      { userId: 'pat', role: 'patient' },
      new Date(now + 3600_000),
      true,
    );
    expect(info).toMatchObject({ recordingAvailable: true });
    expect(paths(fake)).toEqual([
      '/v1/Rooms',
      '/v1/RecordingSettings/Default',
      '/v1/Rooms/appt-a-42/RecordingRules',
    ]);
    expect(fake.calls[0]!.form.RecordParticipantsOnConnect).toBe('false');
    expect(fake.calls[2]!.form).toEqual({ Rules: '[{"type":"include","all":true}]' });

    const again = fakeTwilio([{ status: 400, body: { code: 53113 } }]);
    await twilioVideo(creds, { fetch: again.impl, now: () => now, recording: bucket }).join(
      appointment,
      { userId: 'doc', role: 'doctor' },
      new Date(now + 3600_000),
      true,
    );
    expect(paths(again)).toEqual(['/v1/Rooms']);
  });

  it('a new room without consent records nothing', async () => {
    const fake = fakeTwilio([{ status: 201 }]);
    await twilioVideo(creds, { fetch: fake.impl, now: () => now, recording: bucket }).join(
      appointment,
      { userId: 'pat', role: 'patient' },
      new Date(now + 3600_000),
      false,
    );
    expect(paths(fake)).toEqual(['/v1/Rooms']);
  });

  it('the call still starts when the new room’s rules cannot be set, with a warning carrying Twilio’s code', async () => {
    const warnings: Record<string, unknown>[] = [];
    const fake = fakeTwilio([
      { status: 201 },
      { status: 200, body: ourSettings },
      { status: 400, body: { code: 53120 } },
    ]);
    const info = await twilioVideo(creds, {
      fetch: fake.impl,
      now: () => now,
      recording: bucket,
      log: { warn: (_m, attributes) => void warnings.push(attributes) },
    }).join(appointment, { userId: 'pat', role: 'patient' }, new Date(now + 3600_000), true);
    expect(info.provider).toBe('twilio');
    expect(warnings).toEqual([
      { appointmentId: 'a-42', errorName: 'VideoProviderError', status: 400, twilioCode: 53120 },
    ]);
  });
});
