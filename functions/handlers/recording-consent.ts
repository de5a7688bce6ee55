import { setRecordingConsent } from '../core/live';
import { liveVideoArea } from '../adapters/wiring/live-video';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveVideoArea, (deps) =>
  http(routes.recordingConsent, deps, async ({ identity, pathParameters, body }) => ({
    body: await setRecordingConsent(identity, pathParameters.appointmentId, body.consent, deps),
  })),
);
