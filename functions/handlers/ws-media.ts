import { relayMediaState } from '../core/live';
import { liveSocketArea } from '../adapters/wiring/live-socket';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { ws } from '../lib/ws';
import { wsRoutes } from '../ws-routes';

export const { area, create, handler } = lambdaHandler(liveSocketArea, (deps) =>
  ws(wsRoutes.media, deps.ws, async ({ caller, frame }) => {
    await relayMediaState(
      caller,
      frame.appointmentId,
      { audio: frame.audio, video: frame.video, screen: frame.screen },
      deps.live,
    );
  }),
);
