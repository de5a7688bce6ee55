import { signUpPatient } from '../core/accounts';
import { signUpArea } from '../adapters/wiring/accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(signUpArea, (deps) =>
  http(routes.registerPatient, deps, async ({ body, requestId, sourceIp }) => {
    await signUpPatient(body, deps, requestId, sourceIp);
    return { body: { status: 'confirmation_sent' as const } };
  }),
);
