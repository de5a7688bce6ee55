import { readOutbox } from '../core/outbox';
import { outboxArea } from '../adapters/wiring/outbox';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

/**
 * Development page only: the local platform mounts this route, the CDK app never deploys it.
 * Admins see every text; everyone else only the texts sent to them.
 */
export const { area, create, handler } = lambdaHandler(outboxArea, (deps) =>
  http(routes.listOutbox, deps, async ({ identity, query }) => ({
    body: await readOutbox(identity, query.cursor, query.limit, deps),
  })),
);
