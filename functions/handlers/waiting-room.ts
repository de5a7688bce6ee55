import { patientsOf } from '../core/audit';
import { waitingRoom } from '../core/live';
import { liveArea } from '../adapters/wiring/live';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveArea, (deps) =>
  http(routes.waitingRoom, deps, async ({ identity }) => {
    const items = await waitingRoom(identity, deps);
    return { body: { items }, audit: patientsOf(items) };
  }),
);
