import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLog, AuditRecord, AuditSearch, AuditTrail } from '../../core/ports';
import type { DynamoTable } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { queryPage } from './query';

/**
 * Audit entries (key design in table.ts): one item per entry, under its UTC day, also indexed by
 * actor (gsi1) and, when the entry is about a patient's records, by patient (gsi2). All three sort
 * keys are `<iso time>#<uuid>`, so every search is a Query on one range (docs/adr/0009).
 */
export function dynamoAudit(table: DynamoTable): AuditLog {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async record(entry) {
      const at = new Date().toISOString();
      const sk = `${at}#${randomUUID()}`;
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `AUDIT#${at.slice(0, 10)}`,
            sk,
            gsi1pk: `ACTOR#${entry.actorId}`,
            gsi1sk: sk,
            ...(entry.patientId ? { gsi2pk: `AUDIT_PATIENT#${entry.patientId}`, gsi2sk: sk } : {}),
            type: 'audit',
            at,
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
  };
}

function toRecord(item: Record<string, unknown>): AuditRecord {
  const optional = (name: 'actorRole' | 'patientId' | 'targetId' | 'requestId') =>
    item[name] ? { [name]: String(item[name]) } : {};
  return {
    at: String(item.at),
    action: String(item.action),
    actorId: String(item.actorId),
    ...optional('actorRole'),
    ...optional('patientId'),
    ...optional('targetId'),
    ...optional('requestId'),
  } as AuditRecord;
}

/** UTC days from `to` back to `from`. */
function daysNewestFirst(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${to}T00:00:00Z`); t >= Date.parse(`${from}T00:00:00Z`); t -= 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export function dynamoAuditTrail(table: DynamoTable): AuditTrail {
  // `~` sorts after every character of `<iso time>#<uuid>`: the whole `to` day is inside.
  const range = (q: AuditSearch) => ({ ':from': q.from, ':to': `${q.to}~` });

  /** By patient (and actor, filtered) or by actor: one Query on an index. */
  function byIndex(q: AuditSearch, index: 'gsi1' | 'gsi2', partition: string) {
    const actorFilter = index === 'gsi2' && q.actorId;
    return queryPage(
      table,
      {
        IndexName: index,
        KeyConditionExpression: `${index}pk = :p AND ${index}sk BETWEEN :from AND :to`,
        ...(actorFilter ? { FilterExpression: 'actorId = :actor' } : {}),
        ExpressionAttributeValues: {
          ':p': partition,
          ...range(q),
          ...(actorFilter ? { ':actor': q.actorId } : {}),
        },
        ScanIndexForward: false,
      },
      { attribute: `${index}pk`, value: partition },
      q.cursor,
      q.limit,
      toRecord,
    );
  }

  /**
   * Everything in the range: one Query per day partition, newest day first. The cursor is the key of
   * the last entry returned, so it also says which day to go on with.
   */
  async function byDay(q: AuditSearch) {
    const days = daysNewestFirst(q.from, q.to);
    const start = decodeCursor(q.cursor, ['pk', 'sk'], {
      attribute: 'pk',
      value: days.map((day) => `AUDIT#${day}`),
    });
    const items: AuditRecord[] = [];
    let last: Record<string, unknown> | undefined;
    let startKey: Record<string, unknown> | undefined = start;
    for (let i = start ? days.indexOf(String(start.pk).slice(6)) : 0; i < days.length; i++) {
      do {
        const result = await table.client.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `AUDIT#${days[i]}` },
            ScanIndexForward: false,
            Limit: q.limit - items.length,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of result.Items ?? []) {
          items.push(toRecord(item));
          last = { pk: item.pk, sk: item.sk };
        }
        startKey = result.LastEvaluatedKey;
        if (items.length >= q.limit) {
          const more = startKey !== undefined || i < days.length - 1;
          return { items, nextCursor: more ? encodeCursor(last) : undefined };
        }
      } while (startKey);
    }
    return { items, nextCursor: undefined };
  }

  return {
    search(q) {
      if (q.patientId) return byIndex(q, 'gsi2', `AUDIT_PATIENT#${q.patientId}`);
      if (q.actorId) return byIndex(q, 'gsi1', `ACTOR#${q.actorId}`);
      return byDay(q);
    },
  };
}
