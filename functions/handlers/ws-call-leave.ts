import { leaveCallChannel } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

export const handler = ws(wsRoutes.callLeave, wsDeps, async ({ caller, connectionId, frame }) => {
  await leaveCallChannel(caller, connectionId, frame.appointmentId, liveDeps, frame.reason);
});
