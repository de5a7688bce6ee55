import { patientPassVisit } from '../core/rescue';
import { guestsArea } from '../adapters/wiring/guests';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(guestsArea, (deps) =>
  http(routes.getPassVisit, deps, async ({ pass }) => ({ body: await patientPassVisit(pass, deps) })),
);
