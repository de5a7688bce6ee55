import { signOutEverywhere } from '../core/sessions';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { signOutArea } from '../adapters/wiring/sign-out';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(signOutArea, (deps) =>
  http(routes.signOutEverywhere, deps, async ({ identity, requestId }) => {
    return { body: await signOutEverywhere(identity, requestId, deps) };
  }),
);
