import type { AuditTrail } from './ports';

export interface AuditTrailDeps {
  auditTrail: AuditTrail;
}

/** One UTC day of the audit trail, newest first (admins only; the route says who may call it). */
export function readAuditTrail(day: string, cursor: string | undefined, limit: number, deps: AuditTrailDeps) {
  return deps.auditTrail.day(day, cursor, limit);
}
