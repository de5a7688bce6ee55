import { markChatRead } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

export const handler = ws(wsRoutes.chatRead, wsDeps, async ({ caller, frame }) => {
  await markChatRead(caller, frame.appointmentId, frame.messageId, liveDeps);
});
