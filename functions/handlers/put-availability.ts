import { setAvailability } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.putAvailability, deps, async ({ identity, body }) => ({
    body: { availability: await setAvailability(identity, body, deps), configured: true },
  })),
);
