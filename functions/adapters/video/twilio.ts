import AccessToken from 'twilio/lib/jwt/AccessToken';
import type { Appointment } from '../../../shared/appointments';
import { MAX_CALL_TOKEN_SECONDS } from '../../../shared/live';
import type { VideoProvider } from '../../core/ports';

export interface TwilioVideoCredentials {
  accountSid: string;
  /** An API key (SK…) and its secret: they sign access tokens and authenticate REST calls. */
  apiKeySid: string;
  apiKeySecret: string;
}

const ROOM_EXISTS = 53113;
/** Twilio accepts a MaxParticipantDuration from 10 minutes to 24 hours. */
const MIN_PARTICIPANT_SECONDS = 600;

export const roomNameFor = (appointment: Pick<Appointment, 'appointmentId'>) =>
  `appt-${appointment.appointmentId}`;

/**
 * Twilio Video: one group room per appointment (unique name from the appointment, two participants
 * at most, no recording unless both consent), access tokens minted offline with only the
 * `twilio/lib/jwt/AccessToken` part of the helper library. REST calls go through `fetch`, which tests
 * replace with a fake — nothing reaches Twilio from a test.
 */
export function twilioVideo(
  credentials: () => Promise<TwilioVideoCredentials>,
  options: { fetch?: typeof fetch; apiBase?: string; now?: () => number } = {},
): VideoProvider {
  const fetchImpl = options.fetch ?? fetch;
  const apiBase = options.apiBase ?? 'https://video.twilio.com';
  const now = options.now ?? Date.now;

  async function rest(path: string, form: Record<string, string>) {
    const creds = await credentials();
    const response = await fetchImpl(`${apiBase}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${creds.apiKeySid}:${creds.apiKeySecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json().catch(() => ({}))) as { code?: number };
    return { status: response.status, code: body.code };
  }

  return {
    kind: 'twilio',
    async join(appointment, participant, expiresAt) {
      const roomName = roomNameFor(appointment);
      // The token and a participant's time in the room both last until the room closes (plus a margin).
      const ttl = Math.max(
        60,
        Math.min(MAX_CALL_TOKEN_SECONDS, Math.floor((expiresAt.getTime() - now()) / 1000)),
      );
      const created = await rest('/v1/Rooms', {
        UniqueName: roomName,
        Type: 'group',
        MaxParticipants: '2',
        MaxParticipantDuration: String(Math.max(MIN_PARTICIPANT_SECONDS, ttl)),
        RecordParticipantsOnConnect: 'false',
      });
      if (created.status >= 400 && created.code !== ROOM_EXISTS) {
        throw new Error(
          `Twilio could not create the room (${created.status}${created.code ? `/${created.code}` : ''})`,
        );
      }
      const creds = await credentials();
      const token = new AccessToken(creds.accountSid, creds.apiKeySid, creds.apiKeySecret, {
        identity: participant.userId,
        ttl,
      });
      token.addGrant(new AccessToken.VideoGrant({ room: roomName }));
      return {
        provider: 'twilio',
        token: token.toJwt(),
        roomName,
        expiresAt: new Date(now() + ttl * 1000).toISOString(),
      };
    },
    async end(appointment) {
      const result = await rest(`/v1/Rooms/${roomNameFor(appointment)}`, { Status: 'completed' });
      if (result.status >= 400 && result.status !== 404)
        throw new Error(`Twilio could not complete the room (${result.status})`);
    },
    async setRecording(appointment, active) {
      const rules = JSON.stringify([{ type: active ? 'include' : 'exclude', all: true }]);
      const result = await rest(`/v1/Rooms/${roomNameFor(appointment)}/RecordingRules`, { Rules: rules });
      if (result.status >= 400) throw new Error(`Twilio could not change recording rules (${result.status})`);
    },
  };
}
