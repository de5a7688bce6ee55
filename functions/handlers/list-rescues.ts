import { listRescues } from '../core/rescue';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.listRescues, deps, async ({ identity, query }) => ({
    body: { items: await listRescues(identity, query.from, query.to, deps) },
  })),
);
