import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/appointments';
import { loadConfig } from '../../lib/config';
import { knownError } from '../../lib/errors';
import { parseTwilioSecret } from '../sms/secrets';
import { appointmentsContext } from './appointments';
import { liveDeps } from './live';
import { videoProvider } from './video';

const baseEnv = {
  AWS_REGION: 'eu-west-2',
  TABLE_NAME: 'table',
  USER_POOL_ID: 'eu-west-2_pool',
  USER_POOL_CLIENT_ID: 'client',
  SMS_PROVIDER: 'twilio',
  TWILIO_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:1:secret:twilio',
  REMINDER_SCHEDULER: 'eventbridge',
  PRACTICE_NAME: 'Riverside Demo Clinic',
};
const appointment = { appointmentId: 'a-1' } as Appointment;
const participant = { userId: 'u-1', role: 'patient' as const };
/** The secret as the stack creates it, before ops fill it in. */
const placeholder = async () =>
  parseTwilioSecret(JSON.stringify({ accountSid: 'REPLACE_ME', fromNumber: 'REPLACE_ME', authToken: 'x' }));

describe('live composition with an unfilled Twilio secret', () => {
  it('twilio: joining a call is a 503 video_unavailable, not a 500', async () => {
    const config = loadConfig({ ...baseEnv, VIDEO_PROVIDER: 'twilio' });
    const deps = liveDeps(appointmentsContext(config), (c) => videoProvider(c, () => placeholder));
    const failure = await deps.video
      .join(appointment, participant, new Date(), false)
      .catch((e: unknown) => e);
    expect(knownError(failure)).toMatchObject({ status: 503, code: 'video_unavailable' });
  });

  it('p2p with Twilio TURN: the call starts with the configured ICE servers', async () => {
    const stun = [{ urls: ['stun:stun.example.test:3478'] }];
    const config = loadConfig({
      ...baseEnv,
      VIDEO_PROVIDER: 'p2p',
      ICE_FROM_TWILIO: 'true',
      ICE_SERVERS: JSON.stringify(stun),
    });
    const deps = liveDeps(appointmentsContext(config), (c) => videoProvider(c, () => placeholder));
    await expect(deps.video.join(appointment, participant, new Date(), false)).resolves.toMatchObject({
      provider: 'p2p',
      iceServers: stun,
    });
  });

  it('p2p without Twilio TURN never needs the secret', async () => {
    const config = loadConfig({ ...baseEnv, VIDEO_PROVIDER: 'p2p', ICE_FROM_TWILIO: 'false' });
    const deps = liveDeps(appointmentsContext(config), (c) => videoProvider(c, () => placeholder));
    await expect(deps.video.join(appointment, participant, new Date(), false)).resolves.toMatchObject({
      provider: 'p2p',
    });
  });
});
