import { waitingRoom } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.waitingRoom, async ({ identity }) => ({
  body: { items: await waitingRoom(identity, liveDeps) },
}));
