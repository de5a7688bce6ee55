import { joinCall } from '../core/live';
import { liveVideoArea } from '../adapters/wiring/live-video';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveVideoArea, (deps) =>
  http(routes.joinCall, deps, async ({ identity, pathParameters }) => ({
    body: await joinCall(identity, pathParameters.appointmentId, deps),
  })),
);
