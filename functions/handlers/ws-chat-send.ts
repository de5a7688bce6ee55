import { sendChat } from '../core/live';
import { liveSocketArea } from '../adapters/wiring/live-socket';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { ws } from '../lib/ws';
import { wsRoutes } from '../ws-routes';

export const { area, create, handler } = lambdaHandler(liveSocketArea, (deps) =>
  ws(wsRoutes.chatSend, deps.ws, async ({ caller, connectionId, frame }) => {
    await sendChat(caller, connectionId, frame, deps.live);
  }),
);
