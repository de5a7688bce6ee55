import { auditedReads, searchAuditTrail } from '../core/audit';
import { auditArea } from '../adapters/wiring/audit';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(auditArea, (deps) =>
  http(routes.readAuditTrail, deps, async ({ query }) => {
    const page = await searchAuditTrail(query, deps);
    return { body: page, audit: auditedReads(query, page.items) };
  }),
);
