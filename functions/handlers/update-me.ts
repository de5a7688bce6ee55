import { updatePreferences } from '../core/accounts';
import { accountsArea } from '../adapters/wiring/accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(accountsArea, (deps) =>
  http(routes.updateMe, deps, async ({ identity, body }) => ({
    body: { profile: await updatePreferences(identity, body, deps) },
  })),
);
