import { createDoctor, publicProfile } from '../core/accounts';
import { accountsArea } from '../adapters/wiring/accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(accountsArea, (deps) =>
  http(routes.createDoctor, deps, async ({ body, identity, requestId }) => {
    const { profile, temporaryPassword } = await createDoctor(body, identity, deps, requestId);
    // On AWS Cognito emails the invitation; locally nothing is mailed, so the admin hands it over.
    const invitation =
      deps.invitationDelivery === 'shown'
        ? { delivery: 'shown' as const, temporaryPassword }
        : { delivery: 'email' as const };
    return { status: 201, body: { doctor: publicProfile(profile), invitation } };
  }),
);
