import { patientsOf } from '../core/audit';
import { listMyAppointments } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.listAppointments, deps, async ({ identity, query }) => {
    const page = await listMyAppointments(
      identity,
      {
        statuses: query.status,
        from: query.from,
        to: query.to,
        order: query.order,
        cursor: query.cursor,
        limit: query.limit,
      },
      deps,
    );
    return { body: page, audit: patientsOf(page.items) };
  }),
);
