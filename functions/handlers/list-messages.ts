import { chatTranscript } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.listMessages, async ({ identity, pathParameters, query }) => ({
  body: await chatTranscript(identity, pathParameters.appointmentId, query.cursor, query.limit, liveDeps),
}));
