import { getOwnProfile } from '../core/accounts';
import { profileArea } from '../adapters/wiring/profile';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(profileArea, (deps) =>
  http(routes.getMe, deps, async ({ identity }) => ({
    body: { profile: await getOwnProfile(identity, deps) },
  })),
);
