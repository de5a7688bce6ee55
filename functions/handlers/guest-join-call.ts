import { guestJoinCall } from '../core/guests';
import { guestVideoArea } from '../adapters/wiring/guests';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(guestVideoArea, (deps) =>
  http(routes.guestJoinCall, deps, async ({ pass }) => ({ body: await guestJoinCall(pass, deps) })),
);
