import { verifyPhone } from '../core/phone-verification';
import { phoneArea } from '../adapters/wiring/phone';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(phoneArea, (deps) =>
  http(routes.verifyPhone, deps, async ({ identity, body }) => ({
    body: { profile: await verifyPhone(identity, body.code, deps) },
  })),
);
