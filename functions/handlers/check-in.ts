import { checkIn } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.checkIn, async ({ identity, pathParameters, body }) => ({
  body: { appointment: await checkIn(identity, pathParameters.appointmentId, body, liveDeps) },
}));
