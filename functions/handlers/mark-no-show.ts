import { markNoShow } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.markNoShow, async ({ identity, pathParameters }) => ({
  body: { appointment: await markNoShow(identity, pathParameters.appointmentId, appointmentDeps) },
}));
