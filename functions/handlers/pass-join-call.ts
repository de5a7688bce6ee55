import { patientPassJoinCall } from '../core/pass-patient';
import { liveVideoArea } from '../adapters/wiring/live-video';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(liveVideoArea, (deps) =>
  http(routes.passJoinCall, deps, async ({ pass }) => ({ body: await patientPassJoinCall(pass, deps) })),
);
