import { checkHealth } from '../core/health';
import { healthArea } from '../adapters/wiring/health';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

/** Public and anonymous: the answer says which check failed, never why. */
export const { area, create, handler } = lambdaHandler(healthArea, (deps) =>
  http(routes.health, deps, async () => {
    const report = await checkHealth(deps);
    return { status: report.status === 'ok' ? 200 : 503, body: report };
  }),
);
