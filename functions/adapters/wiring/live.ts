/** Composition root for the live consultation: appointments plus connections, chat, consent, video. */
import type { LiveDeps } from '../../core/live';
import type { VideoProvider } from '../../core/ports';
import { config } from '../../lib/config';
import { dynamoConnectionDirectory } from '../dynamo/connections';
import { dynamoChat, dynamoConsents } from '../dynamo/live';
import { p2pVideo, twilioIceServers } from '../video/p2p';
import { twilioVideo } from '../video/twilio';
import { appointmentDeps } from './appointments';
import { twilioSecret } from './twilio-secret';

function createVideoProvider(): VideoProvider {
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

let video: VideoProvider | undefined;

export const liveDeps: LiveDeps = {
  ...appointmentDeps,
  connections: dynamoConnectionDirectory,
  consents: dynamoConsents,
  chat: dynamoChat,
  video: {
    kind: config.videoProvider,
    join: (appointment, participant, expiresAt) =>
      (video ??= createVideoProvider()).join(appointment, participant, expiresAt),
    end: (appointment) => (video ??= createVideoProvider()).end(appointment),
    setRecording: (appointment, active) =>
      (video ??= createVideoProvider()).setRecording(appointment, active),
  },
};
