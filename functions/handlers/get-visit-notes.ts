import { readVisitNotes } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.getVisitNotes, async ({ identity, pathParameters }) => ({
  body: { notes: await readVisitNotes(identity, pathParameters.appointmentId, appointmentDeps) },
}));
