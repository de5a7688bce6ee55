import { relaySignal } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { wsDeps } from '../adapters/wiring/ws';
import { ws } from '../lib/ws';
import { wsRoutes } from '../routes';

export const handler = ws(wsRoutes.signal, wsDeps, async ({ caller, frame }) => {
  await relaySignal(caller, frame.appointmentId, frame.data, liveDeps);
});
