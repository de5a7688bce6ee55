import { getOwnProfile } from '../core/accounts';
import { accountsArea } from '../adapters/wiring/accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(accountsArea, (deps) =>
  http(routes.getMe, deps, async ({ identity }) => ({
    body: { profile: await getOwnProfile(identity, deps) },
  })),
);
