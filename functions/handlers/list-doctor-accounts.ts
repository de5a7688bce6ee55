import { listDoctorAccounts } from '../core/doctor-accounts';
import { doctorAccountsArea } from '../adapters/wiring/doctor-accounts';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(doctorAccountsArea, (deps) =>
  http(routes.listDoctorAccounts, deps, async ({ query }) => ({
    body: await listDoctorAccounts(query, deps),
  })),
);
