import { joinCall } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.joinCall, async ({ identity, pathParameters }) => ({
  body: await joinCall(identity, pathParameters.appointmentId, liveDeps),
}));
