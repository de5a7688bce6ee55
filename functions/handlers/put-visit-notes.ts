import { saveVisitNotes } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.putVisitNotes, async ({ identity, pathParameters, body }) => ({
  body: { notes: await saveVisitNotes(identity, pathParameters.appointmentId, body, appointmentDeps) },
}));
