/** Composition root for reading the audit trail (admins). */
import type { AuditTrailDeps } from '../../core/audit';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoAuditTrail } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export type AuditAreaDeps = AuditTrailDeps & HttpDeps;

export function composeAudit(config: Config): AuditAreaDeps {
  return {
    auditTrail: dynamoAuditTrail(dynamoTable(config)),
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const auditArea: Area<AuditAreaDeps> = { name: 'audit', compose: composeAudit };
