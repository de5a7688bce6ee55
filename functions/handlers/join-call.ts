import { joinCall } from '../core/live';
import { liveArea } from '../adapters/wiring/live';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveArea, (deps) =>
  http(routes.joinCall, deps, async ({ identity, pathParameters }) => ({
    body: await joinCall(identity, pathParameters.appointmentId, deps),
  })),
);
