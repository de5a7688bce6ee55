/** Composition root for the live consultation: appointments plus connections, chat, consent, video. */
import type { LiveDeps } from '../../core/live';
import type { VideoProvider } from '../../core/ports';
import { ConfigurationError, type Config } from '../../lib/config';
import { logger } from '../../lib/logger';
import type { ManagementApi } from '../realtime';
import { dynamoConnectionDirectory } from '../dynamo/connections';
import { dynamoChat, dynamoConsents } from '../dynamo/live';
import {
  appointmentDeps,
  appointmentsContext,
  type AppointmentsContext,
  type AppointmentsDeps,
} from './appointments';
import type { Area, Overrides } from './area';
import { realtimePushes } from './push';

export type LiveAreaDeps = LiveDeps & AppointmentsDeps;

/**
 * `video`: only the routes that start, record or end calls (capability `video`) pass the provider
 * (./video.ts), so Twilio's AccessToken is bundled there alone. `api`: the composition's
 * @connections API when it already has one (the WebSocket actions reply through it too).
 */
export function liveDeps(
  context: AppointmentsContext,
  video?: (context: AppointmentsContext) => VideoProvider,
  api?: ManagementApi,
): LiveAreaDeps {
  const { config, table } = context;
  const notComposed = (): never => {
    throw new ConfigurationError(
      "This function's composition has no video provider (functions/adapters/wiring)",
    );
  };
  return {
    ...appointmentDeps(context, { realtime: (c) => realtimePushes(c, api) }),
    log: logger,
    connections: dynamoConnectionDirectory(table),
    consents: dynamoConsents(table),
    chat: dynamoChat(table),
    video: video
      ? video(context)
      : {
          kind: config.videoProvider,
          recordingAvailable: config.videoProvider === 'twilio' && !!config.recording,
          join: notComposed,
          end: notComposed,
          setRecording: notComposed,
        },
  };
}

export function composeLive(config: Config, overrides?: Overrides): LiveAreaDeps {
  return liveDeps(appointmentsContext(config, overrides));
}

/** Check-in, the waiting room, admission, chat, a closed connection: everything but the call. */
export const liveArea: Area<LiveAreaDeps> = { name: 'live', compose: composeLive };
