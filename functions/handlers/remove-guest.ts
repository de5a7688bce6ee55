import { removeGuest } from '../core/guests';
import { guestsArea } from '../adapters/wiring/guests';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(guestsArea, (deps) =>
  http(routes.removeGuest, deps, async ({ identity, pathParameters }) => {
    await removeGuest(identity, pathParameters.appointmentId, deps);
    return { body: { removed: true as const } };
  }),
);
