import { cancelAppointment } from '../core/appointments';
import { appointmentChangeArea } from '../adapters/wiring/appointment-change';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentChangeArea, (deps) =>
  http(routes.cancelAppointment, deps, async ({ identity, pathParameters, body }) => ({
    body: {
      appointment: await cancelAppointment(identity, pathParameters.appointmentId, body.reason, deps),
    },
  })),
);
