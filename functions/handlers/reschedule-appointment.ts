import { rescheduleAppointment } from '../core/appointments';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.rescheduleAppointment, deps, async ({ identity, pathParameters, body }) => ({
    body: {
      appointment: await rescheduleAppointment(identity, pathParameters.appointmentId, body.start, deps),
    },
  })),
);
