import { listMyPatients } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.listPatients, async ({ identity, query }) => ({
  body: await listMyPatients(identity, query.cursor, query.limit, appointmentDeps),
}));
