import { relaySignal } from '../core/live';
import { liveSocketArea } from '../adapters/wiring/live-socket';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { ws } from '../lib/ws';
import { wsRoutes } from '../ws-routes';

export const { area, create, handler } = lambdaHandler(liveSocketArea, (deps) =>
  ws(wsRoutes.signal, deps.ws, async ({ caller, frame }) => {
    await relaySignal(caller, frame.appointmentId, frame.to, frame.data, deps.live);
  }),
);
