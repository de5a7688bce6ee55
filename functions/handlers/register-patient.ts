import { publicProfile, registerPatient } from '../core/accounts';
import { accountDeps } from '../adapters/wiring/accounts';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.registerPatient, async ({ body, requestId }) => ({
  status: 201,
  body: { profile: publicProfile(await registerPatient(body, accountDeps, requestId)) },
}));
