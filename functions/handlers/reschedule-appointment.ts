import { rescheduleAppointment } from '../core/appointments';
import { appointmentChangeArea } from '../adapters/wiring/appointment-change';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentChangeArea, (deps) =>
  http(routes.rescheduleAppointment, deps, async ({ identity, pathParameters, body }) => ({
    body: {
      appointment: await rescheduleAppointment(identity, pathParameters.appointmentId, body.start, deps),
    },
  })),
);
