import { deactivateDoctor } from '../core/doctor-accounts';
import { doctorAccountsArea } from '../adapters/wiring/doctor-accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(doctorAccountsArea, (deps) =>
  http(routes.deactivateDoctor, deps, async ({ pathParameters, identity, requestId }) => ({
    body: await deactivateDoctor(pathParameters.doctorId, identity, deps, requestId),
  })),
);
