import { announceWaiting } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

export const handler = ws(wsRoutes.waitingPresence, wsDeps, async ({ caller, connectionId, frame }) => {
  await announceWaiting(caller, connectionId, frame.appointmentId, frame.present, liveDeps);
});
