import { endVisit } from '../core/live';
import { liveVideoArea } from '../adapters/wiring/live-video';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveVideoArea, (deps) =>
  http(routes.endVisit, deps, async ({ identity, pathParameters }) => ({
    body: { appointment: await endVisit(identity, pathParameters.appointmentId, deps) },
  })),
);
