import { createDoctor, publicProfile } from '../core/accounts';
import { accountDeps } from '../adapters/wiring/accounts';
import { config } from '../lib/config';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.createDoctor, async ({ body, identity, requestId }) => {
  const { profile, temporaryPassword } = await createDoctor(body, identity, accountDeps, requestId);
  // On AWS Cognito emails the invitation; locally nothing is mailed, so the admin hands it over.
  const invitation = config.cognitoLocalEndpoint
    ? { delivery: 'shown' as const, temporaryPassword }
    : { delivery: 'email' as const };
  return { status: 201, body: { doctor: publicProfile(profile), invitation } };
});
