import { completeAppointment } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.completeAppointment, async ({ identity, pathParameters }) => ({
  body: { appointment: await completeAppointment(identity, pathParameters.appointmentId, appointmentDeps) },
}));
