import { rescheduleAppointment } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.rescheduleAppointment, async ({ identity, pathParameters, body }) => ({
  body: {
    appointment: await rescheduleAppointment(
      identity,
      pathParameters.appointmentId,
      body.start,
      appointmentDeps,
    ),
  },
}));
