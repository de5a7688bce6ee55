import { auditedReads, auditExportFileName, exportAuditTrail } from '../core/audit';
import { AUDIT_TRUNCATED_HEADER } from '../../shared/audit';
import { auditArea } from '../adapters/wiring/audit';
import { lambdaHandler } from '../adapters/wiring/lambda';
import { http } from '../lib/http';
import { routes } from '../routes';

export const { area, create, handler } = lambdaHandler(auditArea, (deps) =>
  http(routes.exportAuditTrail, deps, async ({ query }) => {
    const { csv, truncated, rows } = await exportAuditTrail(query, deps);
    return {
      body: csv,
      headers: {
        'Content-Disposition': `attachment; filename="${auditExportFileName(query)}"`,
        [AUDIT_TRUNCATED_HEADER]: String(truncated),
      },
      audit: auditedReads(query, rows),
    };
  }),
);
