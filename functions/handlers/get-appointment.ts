import { getOwnAppointment } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.getAppointment, async ({ identity, pathParameters }) => ({
  body: { appointment: await getOwnAppointment(identity, pathParameters.appointmentId, appointmentDeps) },
}));
