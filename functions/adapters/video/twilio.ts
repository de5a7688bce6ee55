import AccessToken from 'twilio/lib/jwt/AccessToken';
import type { Appointment } from '../../../shared/appointments';
import { MAX_CALL_PARTICIPANTS, MAX_CALL_TOKEN_SECONDS } from '../../../shared/live';
import type { Log } from '../../core/notifications';
import { RecordingUnavailable, VideoProviderError, type VideoProvider } from '../../core/ports';

export interface TwilioVideoCredentials {
  accountSid: string;
  /** An API key (SK…) and its secret: they sign access tokens and authenticate REST calls. */
  apiKeySid: string;
  apiKeySecret: string;
}

/**
 * Where recordings go, as configured in Twilio's recording settings (docs/operations.md): an S3
 * bucket of ours through a stored AWS credential, and/or encryption with a public key of ours.
 * Recording is offered only with one of them, and switched on only once Twilio confirms it.
 */
export interface RecordingStorage {
  awsCredentialsSid?: string;
  s3Url?: string;
  encryptionKeySid?: string;
}

export interface TwilioVideoOptions {
  fetch?: typeof fetch;
  apiBase?: string;
  now?: () => number;
  /** Without it recording is unavailable. */
  recording?: RecordingStorage;
  log?: Log;
  /** Waits between attempts of a recording-rules update (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

const ROOM_EXISTS = 53113;
/** A recording-rules update is tried this often, waiting 250 ms, then 500 ms, … in between. */
export const RECORDING_RULE_ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 250;
/** Twilio accepts a MaxParticipantDuration from 10 minutes to 24 hours. */
const MIN_PARTICIPANT_SECONDS = 600;

export const roomNameFor = (appointment: Pick<Appointment, 'appointmentId'>) =>
  `appt-${appointment.appointmentId}`;

/**
 * Twilio Video: one group room per appointment (unique name from the appointment, two participants
 * at most, no recording unless both consent and the recordings' storage is ours), access tokens
 * minted offline with only the `twilio/lib/jwt/AccessToken` part of the helper library. REST calls
 * go through `fetch`, which tests replace with a fake — nothing reaches Twilio from a test.
 */
export function twilioVideo(
  credentials: () => Promise<TwilioVideoCredentials>,
  options: TwilioVideoOptions = {},
): VideoProvider {
  const fetchImpl = options.fetch ?? fetch;
  const apiBase = options.apiBase ?? 'https://video.twilio.com';
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const storage = options.recording;
  let storageConfirmed = false;

  async function rest(path: string, form?: Record<string, string>) {
    const creds = await credentials();
    const response = await fetchImpl(`${apiBase}${path}`, {
      method: form ? 'POST' : 'GET',
      headers: {
        authorization: `Basic ${Buffer.from(`${creds.apiKeySid}:${creds.apiKeySecret}`).toString('base64')}`,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json().catch(() => ({}))) as { code?: number } & Record<string, unknown>;
    return { status: response.status, code: typeof body.code === 'number' ? body.code : undefined, body };
  }

  /**
   * Twilio's recording settings must send recordings where the configuration says (our bucket,
   * or encrypted with our key) before anything is recorded; once seen, trusted for this container.
   */
  async function confirmStorage() {
    if (storageConfirmed) return;
    if (!storage) throw new RecordingUnavailable('Recording is not configured');
    const { status, code, body } = await rest('/v1/RecordingSettings/Default');
    if (status >= 400)
      throw new VideoProviderError(`Twilio did not show its recording settings (${status})`, status, code);
    const inOurBucket =
      !!storage.awsCredentialsSid &&
      body.aws_storage_enabled === true &&
      body.aws_credentials_sid === storage.awsCredentialsSid &&
      body.aws_s3_url === storage.s3Url;
    const encryptedForUs =
      !!storage.encryptionKeySid &&
      body.encryption_enabled === true &&
      body.encryption_key_sid === storage.encryptionKeySid;
    if (!inOurBucket && !encryptedForUs)
      throw new RecordingUnavailable('Twilio’s recording settings do not match the configured storage');
    storageConfirmed = true;
  }

  /** Sets the room's recording rules; Twilio's rate limit, its own failures and timeouts are retried. */
  async function applyRules(roomName: string, active: boolean) {
    const rules = JSON.stringify([{ type: active ? 'include' : 'exclude', all: true }]);
    let failure: VideoProviderError | Error = new Error('no attempt');
    for (let attempt = 1; attempt <= RECORDING_RULE_ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 2));
      try {
        const result = await rest(`/v1/Rooms/${roomName}/RecordingRules`, { Rules: rules });
        if (result.status < 400) return;
        // No such room (any more): nothing in it can be recording.
        if (!active && result.status === 404) return;
        failure = new VideoProviderError(
          `Twilio could not change recording rules (${result.status})`,
          result.status,
          result.code,
        );
        if (result.status !== 429 && result.status < 500) break;
      } catch (err) {
        failure = err as Error;
      }
    }
    throw failure;
  }

  return {
    kind: 'twilio',
    recordingAvailable: !!storage,
    async join(appointment, participant, expiresAt, recording) {
      const roomName = roomNameFor(appointment);
      // The token and a participant's time in the room both last until the room closes (plus a margin).
      const ttl = Math.max(
        60,
        Math.min(MAX_CALL_TOKEN_SECONDS, Math.floor((expiresAt.getTime() - now()) / 1000)),
      );
      const created = await rest('/v1/Rooms', {
        UniqueName: roomName,
        Type: 'group',
        // The doctor, the patient and one admitted guest (shared/live.ts MAX_CALL_PARTICIPANTS).
        MaxParticipants: String(MAX_CALL_PARTICIPANTS),
        MaxParticipantDuration: String(Math.max(MIN_PARTICIPANT_SECONDS, ttl)),
        RecordParticipantsOnConnect: 'false',
      });
      if (created.status >= 400 && created.code !== ROOM_EXISTS) {
        throw new VideoProviderError(
          `Twilio could not create the room (${created.status}${created.code ? `/${created.code}` : ''})`,
          created.status,
          created.code,
        );
      }
      // A new room (first join, or re-created after its empty timeout) records only when both
      // consented; one that existed already has its rules. A failure here leaves it unrecorded.
      if (created.status < 400 && recording) {
        try {
          await confirmStorage();
          await applyRules(roomName, true);
        } catch (err) {
          options.log?.warn('recording not started in the new room', {
            appointmentId: appointment.appointmentId,
            errorName: (err as Error).name,
            ...(err instanceof VideoProviderError ? { status: err.status, twilioCode: err.code } : {}),
          });
        }
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
        recordingAvailable: !!storage,
      };
    },
    async end(appointment) {
      const result = await rest(`/v1/Rooms/${roomNameFor(appointment)}`, { Status: 'completed' });
      if (result.status >= 400 && result.status !== 404)
        throw new VideoProviderError(
          `Twilio could not complete the room (${result.status})`,
          result.status,
          result.code,
        );
    },
    async setRecording(appointment, active) {
      if (active) await confirmStorage();
      await applyRules(roomNameFor(appointment), active);
    },
  };
}
