import { setAvailability } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.putAvailability, async ({ identity, body }) => ({
  body: { availability: await setAvailability(identity, body, appointmentDeps), configured: true },
}));
