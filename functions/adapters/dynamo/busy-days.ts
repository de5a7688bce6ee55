/**
 * A doctor's busy time, one item per doctor and UTC day (`BUSY#<doctorId> / <YYYY-MM-DD>`): one
 * attribute per appointment starting that day that holds time, `<start>/<end>`. Written in the same
 * transaction as the appointment and its claims, so it never disagrees with them; read with one
 * Query over a range of days (docs/adr/0011).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Appointment } from '../../../shared/appointments';
import type { BusyTime, ClaimChanges } from '../../core/ports';
import type { DynamoTable } from './client';
import type { TransactItem } from './claims';

type Timed = Pick<Appointment, 'appointmentId' | 'doctorId' | 'start' | 'end'>;

const DAY_SECONDS = 86_400;
const ENTRY_PREFIX = 'a_';

const busyDayKey = (doctorId: string, start: string) => ({ pk: `BUSY#${doctorId}`, sk: start.slice(0, 10) });

function take(tableName: string, a: Timed): TransactItem {
  const key = busyDayKey(a.doctorId, a.start);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #entry = :time, #type = :type, expiresAt = :expires',
      ExpressionAttributeNames: { '#entry': `${ENTRY_PREFIX}${a.appointmentId}`, '#type': 'type' },
      ExpressionAttributeValues: {
        ':time': `${a.start}/${a.end}`,
        ':type': 'busyDay',
        // A past day is only history: TTL removes it once its last appointment has surely ended.
        ':expires': Date.parse(`${key.sk}T00:00:00Z`) / 1000 + 2 * DAY_SECONDS,
      },
    },
  };
}

function free(tableName: string, a: Timed): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: busyDayKey(a.doctorId, a.start),
      UpdateExpression: 'REMOVE #entry',
      ExpressionAttributeNames: { '#entry': `${ENTRY_PREFIX}${a.appointmentId}` },
    },
  };
}

/** A new appointment's busy time. */
export const busyOfNew = (tableName: string, a: Timed): TransactItem[] => [take(tableName, a)];

/**
 * The busy-day writes of a change: they follow the claims (the new time when the change claims any,
 * none when it only frees). One item per day, as a transaction allows one operation per item.
 */
export function busyOfChange(
  tableName: string,
  current: Timed,
  next: Timed,
  claims?: ClaimChanges,
): TransactItem[] {
  if (!claims || (claims.add.length === 0 && claims.remove.length === 0)) return [];
  if (claims.add.length === 0) return [free(tableName, current)];
  const sameDay = busyDayKey(current.doctorId, current.start).sk === busyDayKey(next.doctorId, next.start).sk;
  return sameDay ? [take(tableName, next)] : [free(tableName, current), take(tableName, next)];
}

export async function listBusy(
  table: DynamoTable,
  doctorId: string,
  from: string,
  to: string,
): Promise<BusyTime[]> {
  const busy: BusyTime[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': busyDayKey(doctorId, from).pk,
          ':from': from.slice(0, 10),
          ':to': to.slice(0, 10),
        },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      for (const [name, value] of Object.entries(item)) {
        if (!name.startsWith(ENTRY_PREFIX)) continue;
        const [start, end] = String(value).split('/') as [string, string];
        if (start >= from && start <= to)
          busy.push({ appointmentId: name.slice(ENTRY_PREFIX.length), start, end });
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  // ISO times in UTC order as plain strings; `localeCompare` would consult collation rules for each.
  return busy.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
