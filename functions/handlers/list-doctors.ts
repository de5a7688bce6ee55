import { searchDoctors } from '../core/appointments';
import { appointmentDeps } from '../adapters/wiring/appointments';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.listDoctors, async ({ query }) => ({
  body: await searchDoctors({ text: query.q, cursor: query.cursor, limit: query.limit }, appointmentDeps),
}));
