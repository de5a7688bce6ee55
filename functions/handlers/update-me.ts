import { updatePreferences } from '../core/accounts';
import { accountDeps } from '../adapters/wiring/accounts';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.updateMe, async ({ identity, body }) => ({
  body: { profile: await updatePreferences(identity, body, accountDeps) },
}));
