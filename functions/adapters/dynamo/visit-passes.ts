import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredPass, VisitPassStore, VisitSession } from '../../core/visit-passes';
import type { PassHolder } from '../../../shared/visit-pass';
import type { DynamoTable } from './client';

/**
 * Passes (PASS#<hash> / PASS) and visit sessions (VSESSION#<hash> / VSESSION), both keyed by the
 * SHA-256 of their token and both in gsi1 under APPTPASS#<appointmentId> / <holderId>#<hash>, so
 * ending a visit (or replacing a guest) finds and deletes them with one Query. TTL at `expiresAt`.
 */
const passKey = (hash: string) => ({ pk: `PASS#${hash}`, sk: 'PASS' });
const sessionKey = (hash: string) => ({ pk: `VSESSION#${hash}`, sk: 'VSESSION' });
const byVisit = (appointmentId: string, holderId: string, hash: string) => ({
  gsi1pk: `APPTPASS#${appointmentId}`,
  gsi1sk: `${holderId}#${hash}`,
});

function toPass(hash: string, item: Record<string, unknown>): StoredPass {
  return {
    hash,
    appointmentId: String(item.appointmentId),
    holder: item.holder as PassHolder,
    holderId: String(item.holderId),
    expiresAt: Number(item.expiresAt),
    createdBy: String(item.createdBy),
  };
}

export function dynamoVisitPasses(table: DynamoTable): VisitPassStore {
  const { client, name: TableName } = table;
  return {
    async createPass(pass) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...passKey(pass.hash),
            ...byVisit(pass.appointmentId, pass.holderId, pass.hash),
            type: 'visitPass',
            appointmentId: pass.appointmentId,
            holder: pass.holder,
            holderId: pass.holderId,
            expiresAt: pass.expiresAt,
            createdBy: pass.createdBy,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async redeem(hash, nowSeconds, usedAt) {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName,
            Key: passKey(hash),
            UpdateExpression: 'SET usedAt = :usedAt',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
            ExpressionAttributeValues: { ':usedAt': usedAt, ':now': nowSeconds },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? toPass(hash, Attributes) : undefined;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
        throw err;
      }
    },
    async createSession(hash, session) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...sessionKey(hash),
            ...byVisit(session.appointmentId, session.holderId, hash),
            type: 'visitSession',
            ...session,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async getSession(hash) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: sessionKey(hash) }));
      if (!Item) return undefined;
      const session: VisitSession = {
        appointmentId: String(Item.appointmentId),
        holder: Item.holder as PassHolder,
        holderId: String(Item.holderId),
        expiresAt: Number(Item.expiresAt),
      };
      return session;
    },
    async revokePass(hash) {
      await client.send(new DeleteCommand({ TableName, Key: passKey(hash) }));
    },
    async revoke(appointmentId, holderId) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName,
            IndexName: 'gsi1',
            KeyConditionExpression: holderId
              ? 'gsi1pk = :pk AND begins_with(gsi1sk, :holder)'
              : 'gsi1pk = :pk',
            ExpressionAttributeValues: {
              ':pk': `APPTPASS#${appointmentId}`,
              ...(holderId ? { ':holder': `${holderId}#` } : {}),
            },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: startKey,
          }),
        );
        await Promise.all(
          (page.Items ?? []).map((item) =>
            client.send(new DeleteCommand({ TableName, Key: { pk: item.pk, sk: item.sk } })),
          ),
        );
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    },
  };
}
