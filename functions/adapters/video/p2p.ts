import type { Appointment } from '../../../shared/appointments';
import { MAX_CALL_TOKEN_SECONDS, type RTCIceServerLike } from '../../../shared/live';
import type { Log } from '../../core/notifications';
import { RecordingUnavailable, type BusinessMetrics, type VideoProvider } from '../../core/ports';

/** The ICE servers for one participant's call, valid until `expiresAt` (the call token's expiry). */
export type IceServerSource = (
  appointment: Pick<Appointment, 'appointmentId'>,
  expiresAt: Date,
) => Promise<RTCIceServerLike[]>;

/**
 * Browser-to-browser WebRTC: the server only relays signaling. ICE servers come from configuration
 * (none locally, so media stays on loopback; STUN/TURN on AWS, optionally fetched per call).
 */
export function p2pVideo(iceServers: IceServerSource): VideoProvider {
  return {
    kind: 'p2p',
    recordingAvailable: false,
    async join(appointment, _participant, expiresAt) {
      // Who offers to whom is decided per pair in the browser (web/src/call/mesh.ts).
      return {
        provider: 'p2p',
        iceServers: await iceServers(appointment, expiresAt),
        expiresAt: expiresAt.toISOString(),
      };
    },
    async end() {},
    async setRecording() {
      throw new RecordingUnavailable('Recording is not available for peer-to-peer calls');
    },
  };
}

/** Credentials are reused for an appointment until this long before they expire. */
export const TURN_REUSE_MARGIN_SECONDS = 5 * 60;
/** At most this many appointments' credentials are kept per container. */
const MAX_CACHED_APPOINTMENTS = 200;

export interface TwilioTurnOptions {
  /** What the call uses when Twilio cannot give credentials: ICE_SERVERS (empty unless configured). */
  fallback: RTCIceServerLike[];
  log: Log;
  metrics: BusinessMetrics;
  fetch?: typeof fetch;
  apiBase?: string;
  now?: () => number;
  timeoutMs?: number;
}

/** Why Twilio gave no credentials, as log fields: an HTTP status and Twilio's numeric code, never a secret. */
class TurnUnavailable extends Error {
  constructor(readonly fields: { reason: string; status?: number; twilioCode?: number }) {
    super(`Twilio NTS unavailable (${fields.reason})`);
    this.name = 'TurnUnavailable';
  }
}

function failureFields(error: unknown): Record<string, unknown> {
  if (error instanceof TurnUnavailable) return error.fields;
  const name = error instanceof Error ? error.name : 'unknown';
  if (name === 'TimeoutError' || name === 'AbortError') return { reason: 'timeout' };
  if (name === 'TwilioNotConfigured') return { reason: 'not_configured' };
  return { reason: 'network', errorName: name };
}

/**
 * Twilio Network Traversal Service: STUN/TURN credentials signed with the API key, living as long
 * as the call token (`Ttl`), reused for the same appointment while they stay valid. Whatever goes
 * wrong (no secret yet, 401/20003, 5xx, timeout) the call still starts, with the configured ICE
 * servers: a warning carries Twilio's status and code, and `TurnUnavailable` is counted.
 */
export function twilioIceServers(
  credentials: () => Promise<{ accountSid: string; apiKeySid: string; apiKeySecret: string }>,
  options: TwilioTurnOptions,
): IceServerSource {
  const fetchImpl = options.fetch ?? fetch;
  const apiBase = options.apiBase ?? 'https://api.twilio.com';
  const now = options.now ?? Date.now;
  const cache = new Map<string, { servers: RTCIceServerLike[]; until: number }>();

  async function request(ttl: number): Promise<RTCIceServerLike[]> {
    const { accountSid, apiKeySid, apiKeySecret } = await credentials();
    const response = await fetchImpl(
      `${apiBase}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Tokens.json`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${apiKeySid}:${apiKeySecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ Ttl: String(ttl) }).toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      },
    );
    const body = (await response.json().catch(() => ({}))) as {
      code?: unknown;
      ice_servers?: { urls?: string; url?: string; username?: string; credential?: string }[];
    };
    if (!response.ok) {
      throw new TurnUnavailable({
        reason: 'http',
        status: response.status,
        ...(typeof body.code === 'number' ? { twilioCode: body.code } : {}),
      });
    }
    // A 2xx without servers is no credentials either (and must not be kept for hours).
    if (!Array.isArray(body.ice_servers) || body.ice_servers.length === 0) {
      throw new TurnUnavailable({ reason: 'no_servers', status: response.status });
    }
    return body.ice_servers.map((s) => ({
      urls: s.urls ?? s.url ?? '',
      username: s.username,
      credential: s.credential,
    }));
  }

  return async (appointment, expiresAt) => {
    const at = now();
    const cached = cache.get(appointment.appointmentId);
    if (cached && cached.until > at) return cached.servers;
    const ttl = Math.max(60, Math.min(MAX_CALL_TOKEN_SECONDS, Math.floor((expiresAt.getTime() - at) / 1000)));
    let servers: RTCIceServerLike[];
    try {
      servers = await request(ttl);
    } catch (error) {
      options.log.warn('TURN credentials unavailable: the call starts with the configured ICE servers', {
        appointmentId: appointment.appointmentId,
        ...failureFields(error),
      });
      options.metrics.count('TurnUnavailable');
      return options.fallback;
    }
    for (const [id, entry] of cache) if (entry.until <= at) cache.delete(id);
    if (cache.size >= MAX_CACHED_APPOINTMENTS) cache.delete(cache.keys().next().value!);
    cache.set(appointment.appointmentId, { servers, until: at + (ttl - TURN_REUSE_MARGIN_SECONDS) * 1000 });
    return servers;
  };
}
