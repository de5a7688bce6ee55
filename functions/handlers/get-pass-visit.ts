import { patientPassVisit } from '../core/pass-patient';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.getPassVisit, deps, async ({ pass }) => ({ body: await patientPassVisit(pass, deps) })),
);
