import { findOpenSlots } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.listOpenSlots, async ({ pathParameters, query }) => ({
  body: { items: await findOpenSlots(pathParameters.doctorId, query.from, query.to, appointmentDeps) },
}));
