import { registerPatient } from '../core/accounts';
import { accountDeps } from '../adapters/wiring/accounts';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.registerPatient, async ({ body, requestId }) => {
  const { consents: _c, ...profile } = await registerPatient(body, accountDeps, requestId);
  return { status: 201, body: { profile } };
});
