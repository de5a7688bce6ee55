/**
 * A doctor's busy time, one item per doctor and UTC day (`BUSY#<doctorId> / <YYYY-MM-DD>`) holding
 * one string set, `times`: every write appends an entry `<appointmentId>|<version>|<start>|<minutes>`
 * (the time taken; the start in minutes after the day's 00:00 UTC) or `<appointmentId>|<version>|`
 * (the time freed), and per appointment the entry of the highest version wins. Written in the same transaction as the appointment and its claims, so it
 * never disagrees with them; read with one Query over a range of days (docs/adr/0014, 0024).
 *
 * Append-only because DynamoDB refuses two actions on one attribute in one update (a same-day move
 * would ADD the new time and DELETE the old); one set instead of one attribute per appointment
 * because reading and unmarshalling cost follows the attribute count, and minutes because it then
 * follows the bytes (docs/adr/0024).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Appointment } from '../../../shared/appointments';
import type { BusyTime, ClaimChanges } from '../../core/ports';
import type { DynamoTable } from './client';
import type { TransactItem } from './claims';

type Timed = Pick<Appointment, 'appointmentId' | 'doctorId' | 'start' | 'end'>;

const DAY_SECONDS = 86_400;
const MINUTE = 60_000;
/** Entries written before the set (one attribute per appointment): read as version 0, removed when touched. */
const LEGACY_PREFIX = 'a_';
const SEPARATOR = '|';

const busyDayKey = (doctorId: string, start: string) => ({ pk: `BUSY#${doctorId}`, sk: start.slice(0, 10) });
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * Appends `entry` to the day of `a`'s start and drops the day's legacy attribute of `a`. Every
 * write (re)sets the type and the expiry, so a day first written by a release is typed and expires too.
 */
function append(tableName: string, a: Timed, entry: string): TransactItem {
  const key = busyDayKey(a.doctorId, a.start);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #type = :type, expiresAt = :expires REMOVE #legacy ADD #times :entry',
      ExpressionAttributeNames: {
        '#type': 'type',
        '#times': 'times',
        '#legacy': `${LEGACY_PREFIX}${a.appointmentId}`,
      },
      ExpressionAttributeValues: {
        ':type': 'busyDay',
        ':entry': new Set([entry]),
        // A past day is only history: TTL removes it once its last appointment has surely ended.
        ':expires': dayStart(key.sk) / 1000 + 2 * DAY_SECONDS,
      },
    },
  };
}

/**
 * `a`'s time taken, as of the appointment's `version` after the write. Appointments start and end on
 * whole minutes (the booking grid).
 */
function take(tableName: string, a: Timed, version: number) {
  const start = Date.parse(a.start);
  const offset = (start - dayStart(busyDayKey(a.doctorId, a.start).sk)) / MINUTE;
  const minutes = (Date.parse(a.end) - start) / MINUTE;
  return append(tableName, a, [a.appointmentId, version, offset, minutes].join(SEPARATOR));
}

/** `a`'s time freed, as of `version`. */
const free = (tableName: string, a: Timed, version: number) =>
  append(tableName, a, [a.appointmentId, version, ''].join(SEPARATOR));

/** A new appointment's busy time (also the backfill's: appending an entry twice changes nothing). */
export const busyOfNew = (tableName: string, a: Timed & Pick<Appointment, 'version'>): TransactItem[] => [
  take(tableName, a, a.version),
];

/**
 * The busy-day writes of a change: they follow the claims (the new time when the change claims any,
 * none when it only frees), stamped with the version the change gives the appointment. A move within
 * a day is one entry that outranks the old; to another day, one entry on each (a transaction allows
 * one operation per item).
 */
export function busyOfChange(
  tableName: string,
  current: Timed,
  next: Timed & Pick<Appointment, 'version'>,
  claims?: ClaimChanges,
): TransactItem[] {
  if (!claims || (claims.add.length === 0 && claims.remove.length === 0)) return [];
  if (claims.add.length === 0) return [free(tableName, current, next.version)];
  const sameDay = busyDayKey(current.doctorId, current.start).sk === busyDayKey(next.doctorId, next.start).sk;
  return sameDay
    ? [take(tableName, next, next.version)]
    : [free(tableName, current, next.version), take(tableName, next, next.version)];
}

interface Latest {
  version: number;
  /** Undefined when the latest entry freed the time. */
  start?: number;
  end?: number;
}

/** The latest entry per appointment of one busy-day item. */
function latestOf(item: Record<string, unknown>): Map<string, Latest> {
  const day = dayStart(String(item.sk));
  const into = new Map<string, Latest>();
  const keep = (id: string, entry: Latest) => {
    const seen = into.get(id);
    if (!seen || seen.version < entry.version) into.set(id, entry);
  };
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(LEGACY_PREFIX)) continue;
    const [start, end] = String(value).split('/') as [string, string];
    keep(name.slice(LEGACY_PREFIX.length), { version: 0, start: Date.parse(start), end: Date.parse(end) });
  }
  for (const entry of (item.times as Set<string> | undefined) ?? []) {
    const [id, version, offset, minutes] = entry.split(SEPARATOR) as [string, string, string, string?];
    if (!offset) {
      keep(id, { version: Number(version) });
      continue;
    }
    const start = day + Number(offset) * MINUTE;
    keep(id, { version: Number(version), start, end: start + Number(minutes) * MINUTE });
  }
  return into;
}

export async function listBusy(
  table: DynamoTable,
  doctorId: string,
  from: number,
  to: number,
): Promise<BusyTime[]> {
  const busy: BusyTime[] = [];
  const first = busyDayKey(doctorId, new Date(from).toISOString());
  const last = busyDayKey(doctorId, new Date(to).toISOString());
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': first.pk,
          ':from': first.sk,
          ':to': last.sk,
        },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      for (const [appointmentId, { start, end }] of latestOf(item)) {
        if (start !== undefined && end !== undefined && start >= from && start <= to)
          busy.push({ appointmentId, start, end });
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return busy.sort((a, b) => a.start - b.start);
}
