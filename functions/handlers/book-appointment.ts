import { bookAppointment } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { IDEMPOTENCY_KEY_HEADER } from '../../shared/appointments';
import { http, idempotencyKey } from '../lib/http';
import { routes } from '../routes';

/** A retry with the same `Idempotency-Key` and body answers 201 with the appointment it created. */
export const handler = http(routes.bookAppointment, async ({ identity, body, header }) => ({
  status: 201,
  body: {
    appointment: await bookAppointment(
      identity,
      body,
      appointmentDeps,
      idempotencyKey(header(IDEMPOTENCY_KEY_HEADER)),
    ),
  },
}));
