import { announceRunningLate } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.runningLate, async ({ identity, pathParameters, body }) => ({
  body: await announceRunningLate(identity, pathParameters.appointmentId, body.minutes, liveDeps),
}));
