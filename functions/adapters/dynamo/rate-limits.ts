import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { gcraStep } from '../../core/rate-limits';
import type { RateLimiter } from '../../core/ports';
import type { DynamoTable } from './client';

/** One item per limited key (`RATE#booking:<userId>`, `RATE#signup:<ip>`), gone by TTL when idle. */
const rateKey = (key: string) => ({ pk: `RATE#${key}`, sk: 'RATE' });
const isConditionFailure = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

/**
 * GCRA on one item, as the WebSocket frame limiter does: `tat` is the theoretical arrival time of
 * the next request. Each request is one conditional update with no prior read, so concurrent
 * requests (from several Lambda instances) cannot slip through together; only a refusal reads the
 * item, to say when to retry.
 */
export function dynamoRateLimiter(table: DynamoTable): RateLimiter {
  return {
    async take(key, limit, now) {
      const interval = (limit.periodSeconds * 1000) / limit.count;
      const tolerance = (limit.count - 1) * interval;
      // The schedule never runs more than one period ahead: after that the item has no effect.
      const expiresAt = Math.ceil((now + limit.periodSeconds * 1000) / 1000) + 1;
      const update = async (expression: string, condition: string, values: Record<string, number>) => {
        try {
          await table.client.send(
            new UpdateCommand({
              TableName: table.name,
              Key: rateKey(key),
              UpdateExpression: `${expression}, expiresAt = :expiresAt`,
              ConditionExpression: condition,
              ExpressionAttributeValues: { ...values, ':expiresAt': expiresAt },
            }),
          );
          return true;
        } catch (err) {
          if (isConditionFailure(err)) return false;
          throw err;
        }
      };
      // Idle (or first request): the schedule restarts from now.
      if (
        await update('SET tat = :next', 'attribute_not_exists(tat) OR tat < :now', {
          ':next': now + interval,
          ':now': now,
        })
      ) {
        return undefined;
      }
      // Busy: allowed while the schedule runs at most `tolerance` ahead of now.
      if (
        await update('SET tat = tat + :interval', 'tat >= :now AND tat <= :limit', {
          ':interval': interval,
          ':now': now,
          ':limit': now + tolerance,
        })
      ) {
        return undefined;
      }
      const { Item } = await table.client.send(
        new GetCommand({ TableName: table.name, Key: rateKey(key), ConsistentRead: true }),
      );
      const step = gcraStep(typeof Item?.tat === 'number' ? Item.tat : undefined, limit, now);
      return step.allowed ? 1 : step.retryAfterSeconds;
    },
  };
}
