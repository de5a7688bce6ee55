import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredVisitQuality, VisitQualityRepository } from '../../core/ports';
import type { DynamoTable } from './client';
import { queryPage } from './query';

/** One item per author and kind: a second submission fails its condition (docs/adr/0011-visit-feedback.md). */
export const visitQualityKey = (row: Pick<StoredVisitQuality, 'appointmentId' | 'userId' | 'kind'>) => ({
  pk: `APPT#${row.appointmentId}`,
  sk: `${row.kind === 'quality' ? 'CALLQUALITY' : 'FEEDBACK'}#${row.userId}`,
});

/** Scores are whole numbers 1–5, so the sort key orders a week's submissions worst first. */
export function visitQualityItem(row: StoredVisitQuality) {
  return {
    ...visitQualityKey(row),
    gsi1pk: `VISITQ#${row.week}`,
    gsi1sk: `${row.score}#${row.submittedAt}#${row.appointmentId}#${row.kind}#${row.role}`,
    type: 'visitQuality',
    ...row,
  };
}

function fromItem(item: Record<string, unknown>): StoredVisitQuality {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, type: _e, ...row } = item;
  return row as unknown as StoredVisitQuality;
}

export function dynamoVisitQuality(table: DynamoTable): VisitQualityRepository {
  return {
    async add(row) {
      try {
        await table.client.send(
          new PutCommand({
            TableName: table.name,
            Item: visitQualityItem(row),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') return false;
        throw err;
      }
    },

    async getFeedback(appointmentId, userId) {
      const { Item } = await table.client.send(
        new GetCommand({
          TableName: table.name,
          Key: { pk: `APPT#${appointmentId}`, sk: `FEEDBACK#${userId}` },
          ConsistentRead: true,
        }),
      );
      return Item ? fromItem(Item) : undefined;
    },

    async eraseText(appointmentId, userId) {
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: { pk: `APPT#${appointmentId}`, sk: `FEEDBACK#${userId}` },
            UpdateExpression: 'REMOVE #comment, #note',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#comment': 'comment', '#note': 'note' },
          }),
        );
      } catch (err) {
        // No feedback on that visit: nothing to erase.
        if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      }
    },

    listWeek(week, filter, cursor, limit) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':pk': `VISITQ#${week}` };
      const conditions: string[] = [];
      for (const [attribute, value] of Object.entries(filter)) {
        if (value === undefined) continue;
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = value;
        conditions.push(`#${attribute} = :${attribute}`);
      }
      return queryPage(
        table,
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: conditions.length ? conditions.join(' AND ') : undefined,
          ExpressionAttributeNames: conditions.length ? names : undefined,
          ExpressionAttributeValues: values,
          ScanIndexForward: true,
        },
        { attribute: 'gsi1pk', value: `VISITQ#${week}` },
        cursor,
        limit,
        fromItem,
      );
    },
  };
}
