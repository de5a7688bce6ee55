import { dynamoAuditTrail } from '../adapters/dynamo/audit';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.readAuditTrail, async ({ query }) => ({
  body: await dynamoAuditTrail.day(query.day, query.cursor, query.limit),
}));
