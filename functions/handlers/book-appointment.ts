import { bookAppointment } from '../core/appointments';
import { appointmentChangeArea } from '../adapters/wiring/appointment-change';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { IDEMPOTENCY_KEY_HEADER } from '../../shared/appointments';
import { http, idempotencyKey } from '../lib/http';
import { routes } from '../routes';

/** A retry with the same `Idempotency-Key` and body answers 201 with the appointment it created. */
export const { area, create, handler } = lambdaHandler(appointmentChangeArea, (deps) =>
  http(routes.bookAppointment, deps, async ({ identity, body, header }) => ({
    status: 201,
    body: {
      appointment: await bookAppointment(
        identity,
        body,
        deps,
        idempotencyKey(header(IDEMPOTENCY_KEY_HEADER)),
      ),
    },
  })),
);
