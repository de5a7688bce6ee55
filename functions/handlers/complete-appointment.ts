import { completeAppointment } from '../core/appointments';
import { appointmentOutcomeArea } from '../adapters/wiring/appointment-outcome';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentOutcomeArea, (deps) =>
  http(routes.completeAppointment, deps, async ({ identity, pathParameters }) => ({
    body: { appointment: await completeAppointment(identity, pathParameters.appointmentId, deps) },
  })),
);
