import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RescueRepository } from '../../core/ports';
import type { RescueState, VisitWeek } from '../../../shared/rescue';
import type { DynamoTable } from './client';

/**
 * Access patterns:
 * - a visit's rescue: `RESCUE#<appointmentId>` / `RESCUE` (GetItem, conditional and ADD updates);
 * - a doctor's rescues by start: gsi1 `DOCRESCUE#<doctorId>` / `<start>#<appointmentId>` (Query);
 * - a doctor's week counters: `VISITWEEK#<doctorId>` / `<monday>` (ADD; Query between two weeks).
 * Rescues go by TTL a month after the visit; week counters are kept (a few numbers per doctor-week).
 */
const rescueKey = (appointmentId: string) => ({ pk: `RESCUE#${appointmentId}`, sk: 'RESCUE' });
const weekPk = (doctorId: string) => `VISITWEEK#${doctorId}`;
const KEEP_SECONDS = 30 * 86_400;

function toState(item: Record<string, unknown>): RescueState {
  return {
    appointmentId: String(item.appointmentId),
    doctorId: String(item.doctorId),
    start: String(item.start),
    sends: Number(item.sends ?? 0),
    ...(item.textedAt ? { textedAt: String(item.textedAt) } : {}),
    ...(item.openedAt ? { openedAt: String(item.openedAt) } : {}),
  };
}

const isConditionFailure = (err: unknown) =>
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

export function dynamoRescues(table: DynamoTable): RescueRepository {
  const { client, name } = table;
  const update = async (appointmentId: string, expression: string, values: Record<string, unknown>) => {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: name,
        Key: rescueKey(appointmentId),
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes!;
  };
  return {
    async begin(state) {
      try {
        await client.send(
          new PutCommand({
            TableName: name,
            Item: {
              ...rescueKey(state.appointmentId),
              type: 'rescue',
              ...state,
              gsi1pk: `DOCRESCUE#${state.doctorId}`,
              gsi1sk: `${state.start}#${state.appointmentId}`,
              expiresAt: Math.ceil(Date.parse(state.start) / 1000) + KEEP_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        throw err;
      }
    },
    async get(appointmentId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: name, Key: rescueKey(appointmentId), ConsistentRead: true }),
      );
      return Item ? toState(Item) : undefined;
    },
    async addSend(appointmentId) {
      const item = await update(appointmentId, 'ADD sends :one', { ':one': 1 });
      return Number(item.sends);
    },
    async texted(appointmentId, at, passHash) {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: name,
          Key: rescueKey(appointmentId),
          UpdateExpression: 'SET textedAt = :at, passHash = :hash REMOVE openedAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at, ':hash': passHash },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = typeof Attributes?.passHash === 'string' ? Attributes.passHash : undefined;
      const { openedAt: _opened, ...rest } = Attributes ?? {};
      return { state: toState({ ...rest, textedAt: at }), previous };
    },
    async opened(appointmentId, at) {
      try {
        return toState(await update(appointmentId, 'SET openedAt = :at', { ':at': at }));
      } catch (err) {
        if (isConditionFailure(err)) return undefined;
        throw err;
      }
    },
    async listForDoctor(doctorId, from, to) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `DOCRESCUE#${doctorId}`, ':from': from, ':to': `${to}` },
          Limit: 200,
        }),
      );
      return Items.filter((item) => String(item.start) < to).map(toState);
    },
    async count(doctorId, week, counter) {
      await client.send(
        new UpdateCommand({
          TableName: name,
          Key: { pk: weekPk(doctorId), sk: week },
          UpdateExpression: 'SET #type = :type ADD #counter :one',
          ExpressionAttributeNames: { '#type': 'type', '#counter': counter },
          ExpressionAttributeValues: { ':type': 'visitWeek', ':one': 1 },
        }),
      );
    },
    async weeks(doctorId, fromWeek, toWeek) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: name,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': weekPk(doctorId), ':from': fromWeek, ':to': toWeek },
        }),
      );
      return Items.map((item): VisitWeek => ({
        week: String(item.sk),
        visits: Number(item.visits ?? 0),
        noShows: Number(item.noShows ?? 0),
        lateJoins: Number(item.lateJoins ?? 0),
      }));
    },
  };
}
