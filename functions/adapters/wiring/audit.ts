/** Composition root for searching and exporting the audit trail (admins; each search is audited). */
import type { AuditTrailDeps } from '../../core/audit';
import type { AuditLog } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoAudit, dynamoAuditTrail } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export type AuditAreaDeps = AuditTrailDeps & HttpDeps & { audit: AuditLog };

export function composeAudit(config: Config): AuditAreaDeps {
  const table = dynamoTable(config);
  return {
    auditTrail: dynamoAuditTrail(table),
    audit: dynamoAudit(table),
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const auditArea: Area<AuditAreaDeps> = { name: 'audit', compose: composeAudit };
