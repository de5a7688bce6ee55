import { bookAppointment } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.bookAppointment, async ({ identity, body }) => ({
  status: 201,
  body: { appointment: await bookAppointment(identity, body, appointmentDeps) },
}));
