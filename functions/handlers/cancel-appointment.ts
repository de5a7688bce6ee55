import { cancelAppointment } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.cancelAppointment, async ({ identity, pathParameters, body }) => ({
  body: {
    appointment: await cancelAppointment(
      identity,
      pathParameters.appointmentId,
      body.reason,
      appointmentDeps,
    ),
  },
}));
