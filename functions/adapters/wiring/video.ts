/** The video provider of the routes that start, record or end calls (capability `video`) only. */
import { ProviderUnavailable } from '../../core/errors';
import type { VideoProvider } from '../../core/ports';
import { logger } from '../../lib/logger';
import { telemetry } from '../../lib/telemetry';
import { TwilioNotConfigured } from '../sms/twilio';
import { p2pVideo, twilioIceServers } from '../video/p2p';
import { twilioVideo } from '../video/twilio';
import type { AppointmentsContext } from './appointments';
import { twilioSecret as twilioSecretOf, type TwilioSecretSource } from './twilio-secret';

/** `twilioSecret`: where a test puts its own secret. */
function createVideoProvider(
  { config }: AppointmentsContext,
  twilioSecret: TwilioSecretSource = twilioSecretOf(config),
): VideoProvider {
  if (config.videoProvider === 'twilio')
    return twilioVideo(async () => twilioSecret()(), {
      ...(config.recording ? { recording: config.recording } : {}),
      log: logger,
    });
  if (config.iceFromTwilio) {
    return p2pVideo(
      twilioIceServers(async () => twilioSecret()(), {
        fallback: config.iceServers,
        log: logger,
        metrics: telemetry,
      }),
    );
  }
  return p2pVideo(async () => config.iceServers);
}

/** An unset or unfilled Twilio secret is the domain's 503 `video_unavailable`, not a 500. */
async function asVideoError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof TwilioNotConfigured ? new ProviderUnavailable('video') : error;
  }
}

/** The configured provider, created on the first call that needs it. */
export function videoProvider(
  context: AppointmentsContext,
  twilioSecret?: TwilioSecretSource,
): VideoProvider {
  let video: VideoProvider | undefined;
  const provider = () => (video ??= createVideoProvider(context, twilioSecret));
  const { config } = context;
  return {
    kind: config.videoProvider,
    recordingAvailable: config.videoProvider === 'twilio' && !!config.recording,
    join: (appointment, participant, expiresAt, recording) =>
      asVideoError(() => provider().join(appointment, participant, expiresAt, recording)),
    end: (appointment) => asVideoError(() => provider().end(appointment)),
    setRecording: (appointment, active) => asVideoError(() => provider().setRecording(appointment, active)),
  };
}
