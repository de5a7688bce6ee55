import { searchDoctors } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.listDoctors, deps, async ({ query }) => ({
    body: await searchDoctors({ text: query.q, cursor: query.cursor, limit: query.limit }, deps),
  })),
);
