import { readAuditTrail } from '../core/audit';
import { auditTrailDeps } from '../adapters/wiring/audit';
import { http } from '../lib/http';
import { routes } from '../routes';

export const handler = http(routes.readAuditTrail, async ({ query }) => ({
  body: await readAuditTrail(query.day, query.cursor, query.limit, auditTrailDeps),
}));
