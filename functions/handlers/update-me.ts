import { updatePreferences } from '../core/accounts';
import { profileArea } from '../adapters/wiring/profile';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(profileArea, (deps) =>
  http(routes.updateMe, deps, async ({ identity, body }) => ({
    body: { profile: await updatePreferences(identity, body, deps) },
  })),
);
