import { RATE_WEEKS } from '../../shared/rescue';
import { visitRates } from '../core/rescue';
import { appointmentsArea } from '../adapters/wiring/appointments';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) =>
  http(routes.visitRates, deps, async ({ identity, query }) => ({
    body: await visitRates(identity, query.weeks ?? RATE_WEEKS, deps),
  })),
);
