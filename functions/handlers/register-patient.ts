import { publicProfile, registerPatient } from '../core/accounts';
import { accountsArea } from '../adapters/wiring/accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(accountsArea, (deps) =>
  http(routes.registerPatient, deps, async ({ body, requestId, sourceIp }) => ({
    status: 201,
    body: { profile: publicProfile(await registerPatient(body, deps, requestId, sourceIp)) },
  })),
);
