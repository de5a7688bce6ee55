import { setRecordingConsent } from '../core/live';
import { liveDeps } from '../adapters/wiring/live';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.recordingConsent, async ({ identity, pathParameters, body }) => ({
  body: await setRecordingConsent(identity, pathParameters.appointmentId, body.consent, liveDeps),
}));
