import { redeemVisitLink } from '../core/guests';
import { guestsArea } from '../adapters/wiring/guests';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(guestsArea, (deps) =>
  http(routes.redeemVisitPass, deps, async ({ body, sourceIp, requestId }) => ({
    body: await redeemVisitLink(body.token, sourceIp, deps, requestId),
  })),
);
