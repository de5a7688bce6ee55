import { patientsOf } from '../core/audit';
import { listMyPatients } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.listPatients, deps, async ({ identity, query }) => {
    const page = await listMyPatients(identity, query.cursor, query.limit, deps);
    return { body: page, audit: patientsOf(page.items) };
  }),
);
