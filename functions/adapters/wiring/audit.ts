/** Composition root for reading the audit trail (admins). */
import type { AuditTrailDeps } from '../../core/audit';
import { dynamoAuditTrail } from '../dynamo/audit';

export const auditTrailDeps: AuditTrailDeps = { auditTrail: dynamoAuditTrail };
