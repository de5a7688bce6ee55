import { listOutbox } from '../adapters/sms/outbox';
import { http } from '../lib/http';
import { routes } from '../routes';

/**
 * Development page only: the local platform mounts this route, the CDK app never deploys it.
 * Admins see every text; everyone else only the texts sent to them.
 */
export const handler = http(routes.listOutbox, async ({ identity, query }) => ({
  body: await listOutbox(identity.role === 'admin' ? undefined : identity.userId, query.cursor, query.limit),
}));
