import { sendChat } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

export const handler = ws(wsRoutes.chatSend, wsDeps, async ({ caller, connectionId, frame }) => {
  await sendChat(caller, connectionId, frame, liveDeps);
});
