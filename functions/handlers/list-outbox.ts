import { listOutbox } from '../adapters/sms/outbox';
import { http } from '../lib/http';
import { routes } from '../routes';

/** Development page only: the local platform mounts this route, the CDK app never deploys it. */
export const handler = http(routes.listOutbox, async ({ query }) => ({
  body: await listOutbox(query.cursor, query.limit),
}));
