import { getOwnProfile } from '../core/accounts';
import { accountDeps } from '../adapters/wiring/accounts';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.getMe, async ({ identity }) => ({
  body: { profile: await getOwnProfile(identity, accountDeps) },
}));
