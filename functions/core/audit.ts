import type { Page } from '../../shared/appointments';
import {
  auditActionLabel,
  auditOutcome,
  auditRoleLabel,
  auditSubject,
  MAX_AUDIT_EXPORT_ROWS,
  type AuditExportQuery,
  type AuditRow,
} from '../../shared/audit';
import type { AppointmentRepository, AuditRecord, AuditSearch, AuditTrail, ProfileRepository } from './ports';
import { addDays, zonedDay } from '../../shared/zoned-time';

export interface AuditTrailDeps {
  auditTrail: AuditTrail;
  /** Names behind the ids of a page (an admin's audited read). */
  profiles: Pick<ProfileRepository, 'get'>;
  appointments: Pick<AppointmentRepository, 'get'>;
}

/** The first instant of local `date` in `zone` (midnight, or the first minute after a skipped one). */
export function startOfLocalDay(date: string, zone: string): number {
  const at = zonedDay(date, zone);
  for (let minute = 0; minute < 24 * 60; minute++) {
    const instant = at(minute);
    if (instant !== undefined) return instant;
  }
  throw new Error(`${date} has no minute in ${zone}`);
}

/** The admin's days `from`–`to` in their zone, as the UTC window the trail is searched in. */
export function auditWindow(query: Pick<AuditExportQuery, 'from' | 'to' | 'zone'>) {
  return {
    since: new Date(startOfLocalDay(query.from, query.zone)).toISOString(),
    until: new Date(startOfLocalDay(addDays(query.to, 1), query.zone)).toISOString(),
  };
}

type Filters = Pick<AuditExportQuery, 'from' | 'to' | 'zone' | 'patientId' | 'actorId' | 'action'>;
const toSearch = (query: Filters) => ({
  ...auditWindow(query),
  patientId: query.patientId,
  actorId: query.actorId,
  action: query.action,
});

/**
 * The names behind a page's ids: every actor, patient and target is looked up as a profile, and a
 * target that is no profile as an appointment (its doctor and patient then looked up too).
 */
export async function describeAuditRecords(
  records: readonly AuditRecord[],
  deps: Pick<AuditTrailDeps, 'profiles' | 'appointments'>,
): Promise<AuditRow[]> {
  const names = new Map<string, string | undefined>();
  const lookUp = async (ids: Iterable<string | undefined>) => {
    const fresh = [...new Set(ids)].filter((id): id is string => !!id && !names.has(id));
    const profiles = await Promise.all(fresh.map((id) => deps.profiles.get(id)));
    fresh.forEach((id, i) => names.set(id, profiles[i]?.deletedAt ? undefined : profiles[i]?.name));
    return fresh.filter((_, i) => !profiles[i]);
  };
  const notPeople = await lookUp(records.flatMap((r) => [r.actorId, r.patientId, r.targetId]));
  const appointments = new Map(
    (await Promise.all(notPeople.map((id) => deps.appointments.get(id))))
      .filter((a) => a !== undefined)
      .map((a) => [a.appointmentId, a]),
  );
  await lookUp([...appointments.values()].flatMap((a) => [a.doctorId, a.patientId]));
  const named = (id: string | undefined) => (id ? names.get(id) : undefined);
  return records.map((record) => {
    const visit = record.targetId ? appointments.get(record.targetId) : undefined;
    const row: AuditRow = { ...record };
    const actorName = named(record.actorId);
    const patientName = named(record.patientId);
    const targetName = visit ? undefined : named(record.targetId);
    if (actorName) row.actorName = actorName;
    if (patientName) row.patientName = patientName;
    if (targetName) row.targetName = targetName;
    if (visit) {
      row.visit = { start: visit.start };
      const doctorName = named(visit.doctorId);
      const visitPatient = named(visit.patientId);
      if (doctorName) row.visit.doctorName = doctorName;
      if (visitPatient) row.visit.patientName = visitPatient;
    }
    return row;
  });
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

/**
 * What a search of the trail read: the search itself (by patient and/or actor), and each patient
 * whose name the answer holds.
 */
export function auditedReads(
  query: Pick<Filters, 'patientId' | 'actorId'>,
  rows: readonly AuditRow[],
): ReadSubject[] {
  const named = rows.flatMap((r) => [
    ...(r.patientId && r.patientName ? [r.patientId] : []),
    ...(r.visit?.patientName && r.patientId ? [r.patientId] : []),
  ]);
  const search = { patientId: query.patientId, targetId: query.actorId };
  return [
    search,
    ...[...new Set(named)].filter((id) => id !== query.patientId).map((patientId) => ({ patientId })),
  ];
}

/** A page of the trail in words (admins only; the route says who may call it). */
export async function searchAuditTrail(
  query: Filters & Pick<AuditSearch, 'cursor' | 'limit'>,
  deps: AuditTrailDeps,
): Promise<Page<AuditRow>> {
  const page = await deps.auditTrail.search({ ...toSearch(query), cursor: query.cursor, limit: query.limit });
  return { items: await describeAuditRecords(page.items, deps), nextCursor: page.nextCursor };
}

/** The whole search in words, newest first, cut at MAX_AUDIT_EXPORT_ROWS. */
export async function exportAuditTrail(query: Filters, deps: AuditTrailDeps) {
  const rows: AuditRow[] = [];
  let cursor: string | undefined;
  do {
    const limit = Math.min(100, MAX_AUDIT_EXPORT_ROWS - rows.length);
    const page = await deps.auditTrail.search({ ...toSearch(query), cursor, limit });
    rows.push(...(await describeAuditRecords(page.items, deps)));
    cursor = page.nextCursor;
  } while (cursor && rows.length < MAX_AUDIT_EXPORT_ROWS);
  return { csv: auditCsv(rows, query.zone), truncated: cursor !== undefined, rows };
}

const COLUMNS = [
  'time',
  'time_zone',
  'actor',
  'actor_role',
  'action',
  'subject',
  'outcome',
  'request_id',
  'time_utc',
  'action_code',
  'actor_id',
  'patient_id',
  'target_id',
];

/** `2026-12-03 14:05:09` in `zone`: sortable, and what a spreadsheet reads as a date and time. */
const localTimeFormat = (zone: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

/**
 * One CSV field (RFC 4180). A value a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or carriage return) is prefixed with `'`, so opening the file runs nothing.
 */
export function csvField(value: string | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The export's text: a header row, then one row per entry in words (times in the admin's zone,
 * names resolved), with the raw ids after them; CRLF line ends.
 */
export function auditCsv(rows: readonly AuditRow[], zone: string): string {
  const localTime = localTimeFormat(zone);
  const lines = rows.map((r) =>
    [
      localTime.format(new Date(r.at)),
      zone,
      r.actorName ?? (r.actorId === 'anonymous' ? 'Anonymous' : ''),
      auditRoleLabel(r.actorRole),
      auditActionLabel(r.action),
      auditSubject(r, zone),
      auditOutcome(r.action),
      r.requestId,
      r.at,
      r.action,
      r.actorId,
      r.patientId,
      r.targetId,
    ]
      .map(csvField)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

/** `audit-2026-11-01-to-2026-11-30-patient-<id>.csv`: ids are `[A-Za-z0-9_-]` (schema-checked). */
export function auditExportFileName(query: Pick<Filters, 'from' | 'to' | 'patientId' | 'actorId'>) {
  const parts = [`audit-${query.from}-to-${query.to}`];
  if (query.patientId) parts.push(`patient-${query.patientId}`);
  if (query.actorId) parts.push(`actor-${query.actorId}`);
  return `${parts.join('-')}.csv`;
}
