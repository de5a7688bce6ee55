import { patientPassCheckIn } from '../core/pass-patient';
import { liveArea } from '../adapters/wiring/live';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveArea, (deps) =>
  http(routes.passCheckIn, deps, async ({ pass, body }) => ({
    body: await patientPassCheckIn(pass, body, deps),
  })),
);
