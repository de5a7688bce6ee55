import { findOpenSlots } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.listOpenSlots, deps, async ({ pathParameters, query }) => ({
    body: { items: await findOpenSlots(pathParameters.doctorId, query, deps) },
  })),
);
