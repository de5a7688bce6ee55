import { auditActionLabel, MAX_AUDIT_EXPORT_ROWS } from '../../shared/audit';
import type { AuditRecord, AuditSearch, AuditTrail } from './ports';

export interface AuditTrailDeps {
  auditTrail: AuditTrail;
}

/**
 * Whose data one answer held: the `http()` wrapper records one audit entry per subject for routes
 * that declare `audits` (functions/routes.ts).
 */
export interface ReadSubject {
  patientId?: string;
  /** The record read (appointment id, patient id), when the answer is about one record. */
  targetId?: string;
}

/** One subject per distinct patient on a page of a list. */
export function patientsOf(items: readonly { patientId: string }[]): ReadSubject[] {
  return [...new Set(items.map((item) => item.patientId))].map((patientId) => ({ patientId }));
}

/** A page of the trail (admins only; the route says who may call it). */
export function searchAuditTrail(query: AuditSearch, deps: AuditTrailDeps) {
  return deps.auditTrail.search(query);
}

/** The whole search, newest first, cut at MAX_AUDIT_EXPORT_ROWS. */
export async function exportAuditTrail(query: Omit<AuditSearch, 'cursor' | 'limit'>, deps: AuditTrailDeps) {
  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const limit = Math.min(100, MAX_AUDIT_EXPORT_ROWS - records.length);
    const page = await deps.auditTrail.search({ ...query, cursor, limit });
    records.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && records.length < MAX_AUDIT_EXPORT_ROWS);
  return { csv: auditCsv(records), truncated: cursor !== undefined };
}

const COLUMNS = [
  'time_utc',
  'action',
  'description',
  'actor_id',
  'actor_role',
  'patient_id',
  'target_id',
  'request_id',
];

/**
 * One CSV field (RFC 4180). A value a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or carriage return) is prefixed with `'`, so opening the file runs nothing.
 */
export function csvField(value: string | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The export's text: a header row, then one row per entry, CRLF line ends. Ids only, no PHI. */
export function auditCsv(records: readonly AuditRecord[]): string {
  const rows = records.map((r) =>
    [r.at, r.action, auditActionLabel(r.action), r.actorId, r.actorRole, r.patientId, r.targetId, r.requestId]
      .map(csvField)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** `audit-2026-11-01-to-2026-11-30-patient-<id>.csv`: ids are `[A-Za-z0-9_-]` (schema-checked). */
export function auditExportFileName(query: Pick<AuditSearch, 'from' | 'to' | 'patientId' | 'actorId'>) {
  const parts = [`audit-${query.from}-to-${query.to}`];
  if (query.patientId) parts.push(`patient-${query.patientId}`);
  if (query.actorId) parts.push(`actor-${query.actorId}`);
  return `${parts.join('-')}.csv`;
}
