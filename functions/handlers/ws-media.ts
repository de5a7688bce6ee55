import { relayMediaState } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

export const handler = ws(wsRoutes.media, wsDeps, async ({ caller, frame }) => {
  await relayMediaState(
    caller,
    frame.appointmentId,
    { audio: frame.audio, video: frame.video, screen: frame.screen },
    liveDeps,
  );
});
