import type { RTCIceServerLike } from '../../../shared/live';
import type { VideoProvider } from '../../core/ports';

/**
 * Browser-to-browser WebRTC: the server only relays signaling. ICE servers come from configuration
 * (none locally, so media stays on loopback; STUN/TURN on AWS, optionally fetched per call).
 */
export function p2pVideo(iceServers: () => Promise<RTCIceServerLike[]>): VideoProvider {
  return {
    kind: 'p2p',
    async join(_appointment, participant, expiresAt) {
      // Perfect negotiation: the patient is the polite peer and yields on offer collisions.
      return {
        provider: 'p2p',
        iceServers: await iceServers(),
        polite: participant.role === 'patient',
        expiresAt: expiresAt.toISOString(),
      };
    },
    async end() {},
    async setRecording() {
      throw new Error('Recording is not available for peer-to-peer calls');
    },
  };
}

/** Twilio Network Traversal Service: short-lived STUN/TURN credentials for one call. */
export function twilioIceServers(
  credentials: () => Promise<{ accountSid: string; apiKeySid: string; apiKeySecret: string }>,
  fetchImpl: typeof fetch = fetch,
  apiBase = 'https://api.twilio.com',
) {
  return async (): Promise<RTCIceServerLike[]> => {
    const { accountSid, apiKeySid, apiKeySecret } = await credentials();
    const response = await fetchImpl(
      `${apiBase}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Tokens.json`,
      {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${apiKeySid}:${apiKeySecret}`).toString('base64')}` },
        signal: AbortSignal.timeout(5000),
      },
    );
    if (!response.ok) throw new Error(`Twilio NTS answered ${response.status}`);
    const body = (await response.json()) as {
      ice_servers?: { urls?: string; url?: string; username?: string; credential?: string }[];
    };
    return (body.ice_servers ?? []).map((s) => ({
      urls: s.urls ?? s.url ?? '',
      username: s.username,
      credential: s.credential,
    }));
  };
}
