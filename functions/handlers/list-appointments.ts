import { listMyAppointments } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.listAppointments, async ({ identity, query }) => ({
  body: await listMyAppointments(
    identity,
    {
      statuses: query.status,
      from: query.from,
      to: query.to,
      order: query.order,
      cursor: query.cursor,
      limit: query.limit,
    },
    appointmentDeps,
  ),
}));
