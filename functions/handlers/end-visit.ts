import { endVisit } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.endVisit, async ({ identity, pathParameters }) => ({
  body: { appointment: await endVisit(identity, pathParameters.appointmentId, liveDeps) },
}));
