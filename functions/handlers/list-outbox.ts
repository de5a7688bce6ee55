import { readOutbox } from '../core/outbox';
import { outboxDeps } from '../adapters/wiring/outbox';
import { http } from '../lib/http';
import { routes } from '../routes';

/**
 * Development page only: the local platform mounts this route, the CDK app never deploys it.
 * Admins see every text; everyone else only the texts sent to them.
 */
export const handler = http(routes.listOutbox, async ({ identity, query }) => ({
  body: await readOutbox(identity, query.cursor, query.limit, outboxDeps),
}));
