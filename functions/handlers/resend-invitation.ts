import { resendInvitation } from '../core/doctor-accounts';
import { doctorAccountsArea } from '../adapters/wiring/doctor-accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(doctorAccountsArea, (deps) =>
  http(routes.resendInvitation, deps, async ({ pathParameters, identity, requestId }) => ({
    body: await resendInvitation(pathParameters.doctorId, identity, deps, requestId),
  })),
);
