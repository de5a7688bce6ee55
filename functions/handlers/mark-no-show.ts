import { markNoShow } from '../core/appointments';
import { appointmentOutcomeArea } from '../adapters/wiring/appointment-outcome';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentOutcomeArea, (deps) =>
  http(routes.markNoShow, deps, async ({ identity, pathParameters }) => ({
    body: { appointment: await markNoShow(identity, pathParameters.appointmentId, deps) },
  })),
);
