/** Composition root for the live consultation: appointments plus connections, chat, consent, video. */
import type { LiveDeps } from '../../core/live';
import type { VideoProvider } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoConnectionDirectory } from '../dynamo/connections';
import { dynamoChat, dynamoConsents } from '../dynamo/live';
import { p2pVideo, twilioIceServers } from '../video/p2p';
import { twilioVideo } from '../video/twilio';
import { appointmentDeps, appointmentsContext, type AppointmentsContext } from './appointments';
import type { Area, Overrides } from './area';

function createVideoProvider({ config, twilioSecret }: AppointmentsContext): VideoProvider {
  if (config.videoProvider === 'twilio') {
    return twilioVideo(async () => {
      const s = await twilioSecret()();
      if (!s.apiKeySid || !s.apiKeySecret) throw new Error('The Twilio secret has no API key for Video');
      return { accountSid: s.accountSid, apiKeySid: s.apiKeySid, apiKeySecret: s.apiKeySecret };
    });
  }
  if (config.iceFromTwilio) return p2pVideo(async () => twilioIceServers(twilioSecret())());
  return p2pVideo(async () => config.iceServers);
}

export type LiveAreaDeps = LiveDeps & HttpDeps;

export function liveDeps(context: AppointmentsContext): LiveAreaDeps {
  const { config, table } = context;
  let video: VideoProvider | undefined;
  const provider = () => (video ??= createVideoProvider(context));
  return {
    ...appointmentDeps(context),
    connections: dynamoConnectionDirectory(table),
    consents: dynamoConsents(table),
    chat: dynamoChat(table),
    video: {
      kind: config.videoProvider,
      join: (appointment, participant, expiresAt) => provider().join(appointment, participant, expiresAt),
      end: (appointment) => provider().end(appointment),
      setRecording: (appointment, active) => provider().setRecording(appointment, active),
    },
  };
}

export function composeLive(config: Config, overrides?: Overrides): LiveAreaDeps {
  return liveDeps(appointmentsContext(config, overrides));
}

export const liveArea: Area<LiveAreaDeps> = { name: 'live', compose: composeLive };
