import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GuestRepository, StoredGuest } from '../../core/guests';
import type { DynamoTable } from './client';

/** A visit's one guest: APPT#<id> / GUEST (GetItem; replaced on re-invitation). */
const key = (appointmentId: string) => ({ pk: `APPT#${appointmentId}`, sk: 'GUEST' });

function fromItem(item: Record<string, unknown>): StoredGuest {
  const { pk: _pk, sk: _sk, type: _type, ...guest } = item;
  return guest as unknown as StoredGuest;
}

export function dynamoGuests(table: DynamoTable): GuestRepository {
  const { client, name: TableName } = table;
  return {
    async get(appointmentId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: key(appointmentId), ConsistentRead: true }),
      );
      return Item ? fromItem(Item) : undefined;
    },
    async put(guest) {
      await client.send(
        new PutCommand({ TableName, Item: { ...key(guest.appointmentId), type: 'guest', ...guest } }),
      );
    },
    async update(appointmentId, guestId, changes) {
      const names = Object.keys(changes);
      if (!names.length) return undefined;
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName,
            Key: key(appointmentId),
            UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ConditionExpression: 'guestId = :guestId',
            ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
            ExpressionAttributeValues: {
              ':guestId': guestId,
              ...Object.fromEntries(
                names.map((name, i) => [`:v${i}`, changes[name as keyof typeof changes]]),
              ),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? fromItem(Attributes) : undefined;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
        throw err;
      }
    },
    async delete(appointmentId) {
      await client.send(new DeleteCommand({ TableName, Key: key(appointmentId) }));
    },
  };
}
