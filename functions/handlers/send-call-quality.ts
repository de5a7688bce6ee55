import { recordCallQuality } from '../core/visit-feedback';
import { feedbackArea } from '../adapters/wiring/feedback';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(feedbackArea, (deps) =>
  http(routes.sendCallQuality, deps, async ({ identity, pathParameters, body }) => ({
    body: await recordCallQuality(identity, pathParameters.appointmentId, body, deps),
  })),
);
