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

/** The UTC days the window [since, until) touches, newest first. */
function daysNewestFirst(since: string, until: string): string[] {
  const days: string[] = [];
  const last = Date.parse(`${new Date(Date.parse(until) - 1).toISOString().slice(0, 10)}T00:00:00Z`);
  for (let t = last; t >= Date.parse(`${since.slice(0, 10)}T00:00:00Z`); t -= 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** The search's filters besides the key: the action, and the actor on the patient index. */
function filterOf(q: AuditSearch, index: 'gsi1' | 'gsi2' | undefined) {
  const clauses: string[] = [];
  const values: Record<string, string> = {};
  if (q.actorId && index !== 'gsi1') {
    clauses.push('actorId = :actor');
    values[':actor'] = q.actorId;
  }
  if (q.action) {
    clauses.push('#action = :action');
    values[':action'] = q.action;
  }
  return clauses.length
    ? {
        FilterExpression: clauses.join(' AND '),
        ...(q.action ? { ExpressionAttributeNames: { '#action': 'action' } } : {}),
        values,
      }
    : { values };
}

export function dynamoAuditTrail(table: DynamoTable): AuditTrail {
  // Sort keys are `<iso time>#<uuid>`: one at `until` itself sorts after `until`, so it is outside.
  const range = (q: AuditSearch) => ({ ':from': q.since, ':to': q.until });

  /** By patient (and actor, filtered) or by actor: one Query on an index. */
  function byIndex(q: AuditSearch, index: 'gsi1' | 'gsi2', partition: string) {
    const { values, ...filter } = filterOf(q, index);
    return queryPage(
      table,
      {
        IndexName: index,
        KeyConditionExpression: `${index}pk = :p AND ${index}sk BETWEEN :from AND :to`,
        ...filter,
        ExpressionAttributeValues: { ':p': partition, ...range(q), ...values },
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
    const days = daysNewestFirst(q.since, q.until);
    const { values, ...filter } = filterOf(q, undefined);
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
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ...filter,
            ExpressionAttributeValues: { ':pk': `AUDIT#${days[i]}`, ...range(q), ...values },
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
