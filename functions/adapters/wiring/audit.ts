/**
 * Composition root for searching and exporting the audit trail (admins; each search is audited),
 * with the profiles and appointments that put names to its ids.
 */
import type { AuditTrailDeps } from '../../core/audit';
import type { AuditLog } from '../../core/ports';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit, dynamoAuditTrail } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoProfiles } from '../dynamo/profiles';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export type AuditAreaDeps = AuditTrailDeps & HttpDeps & { audit: AuditLog };

export function composeAudit(config: Config): AuditAreaDeps {
  const table = dynamoTable(config);
  return {
    auditTrail: dynamoAuditTrail(table),
    profiles: dynamoProfiles(table),
    appointments: dynamoAppointments(table),
    audit: dynamoAudit(table),
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const auditArea: Area<AuditAreaDeps> = { name: 'audit', compose: composeAudit };
