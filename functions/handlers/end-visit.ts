import { endVisit } from '../core/live';
import { liveArea } from '../adapters/wiring/live';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveArea, (deps) =>
  http(routes.endVisit, deps, async ({ identity, pathParameters }) => ({
    body: { appointment: await endVisit(identity, pathParameters.appointmentId, deps) },
  })),
);
