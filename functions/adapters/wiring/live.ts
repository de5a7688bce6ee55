/** Composition root for the live consultation: appointments plus connections, chat, consent, video. */
import type { LiveDeps } from '../../core/live';
import { ProviderUnavailable } from '../../core/errors';
import type { VideoProvider } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { logger } from '../../lib/logger';
import { telemetry } from '../../lib/telemetry';
import { dynamoConnectionDirectory } from '../dynamo/connections';
import { dynamoChat, dynamoConsents } from '../dynamo/live';
import { TwilioNotConfigured } from '../sms/twilio';
import { p2pVideo, twilioIceServers } from '../video/p2p';
import { twilioVideo } from '../video/twilio';
import { appointmentDeps, appointmentsContext, type AppointmentsContext } from './appointments';
import type { Area, Overrides } from './area';

function createVideoProvider({ config, twilioSecret }: AppointmentsContext): VideoProvider {
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

export type LiveAreaDeps = LiveDeps & HttpDeps;

export function liveDeps(context: AppointmentsContext): LiveAreaDeps {
  const { config, table } = context;
  let video: VideoProvider | undefined;
  const provider = () => (video ??= createVideoProvider(context));
  return {
    ...appointmentDeps(context),
    log: logger,
    connections: dynamoConnectionDirectory(table),
    consents: dynamoConsents(table),
    chat: dynamoChat(table),
    video: {
      kind: config.videoProvider,
      recordingAvailable: config.videoProvider === 'twilio' && !!config.recording,
      join: (appointment, participant, expiresAt, recording) =>
        asVideoError(() => provider().join(appointment, participant, expiresAt, recording)),
      end: (appointment) => asVideoError(() => provider().end(appointment)),
      setRecording: (appointment, active) => asVideoError(() => provider().setRecording(appointment, active)),
    },
  };
}

export function composeLive(config: Config, overrides?: Overrides): LiveAreaDeps {
  return liveDeps(appointmentsContext(config, overrides));
}

export const liveArea: Area<LiveAreaDeps> = { name: 'live', compose: composeLive };
