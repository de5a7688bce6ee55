import { joinCallChannel } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

export const handler = ws(wsRoutes.callJoin, wsDeps, async ({ caller, connectionId, frame }) => {
  await joinCallChannel(caller, connectionId, frame.appointmentId, liveDeps);
});
