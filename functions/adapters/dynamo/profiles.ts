import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DoctorAccounts, ProfileRepository, StoredProfile } from '../../core/ports';
import type { DynamoTable } from './client';
import { queryPage } from './query';

export const profileKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' });

export function toItem(profile: StoredProfile) {
  return {
    ...profileKey(profile.userId),
    gsi1pk: `ROLE#${profile.role}`,
    gsi1sk: `NAME#${profile.name.toLowerCase()}#${profile.userId}`,
    // Only a confirmed number is indexed: STOP/START replies find their patients by it.
    ...(profile.phone && profile.phoneVerified && !profile.deletedAt
      ? { gsi2pk: `PHONE#${profile.phone}`, gsi2sk: `USER#${profile.userId}` }
      : {}),
    type: 'profile',
    searchText: `${profile.name} ${profile.specialty ?? ''}`.toLowerCase(),
    ...profile,
  };
}

export function fromItem(item: Record<string, unknown>): StoredProfile {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g2,
    gsi2pk: _g3,
    gsi2sk: _g4,
    type: _t,
    searchText: _s,
    ...profile
  } = item;
  return profile as unknown as StoredProfile;
}

export function dynamoProfiles(table: DynamoTable): ProfileRepository {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async put(profile) {
      await documentClient.send(new PutCommand({ TableName: tableName, Item: toItem(profile) }));
    },
    async markDeleted(erased) {
      try {
        await documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: toItem(erased),
            ConditionExpression: 'attribute_not_exists(deletedAt)',
          }),
        );
        return erased.deletedAt;
      } catch (err) {
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      }
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: profileKey(erased.userId), ConsistentRead: true }),
      );
      return String(Item?.deletedAt);
    },
    async get(userId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: profileKey(userId) }),
      );
      return Item ? fromItem(Item) : undefined;
    },
    async withVerifiedPhone(phone) {
      const { Items = [] } = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': `PHONE#${phone}` },
        }),
      );
      return Items.map(fromItem);
    },
  };
}

const STATUS_FILTERS = {
  active: 'attribute_not_exists(deactivatedAt)',
  deactivated: 'attribute_exists(deactivatedAt)',
  all: undefined,
} as const;

/**
 * Doctor accounts for the admin console: Query gsi1 `ROLE#doctor` (by name), filtered by status and
 * search text; deactivation and sign-ins change one attribute each, so they never undo each other.
 */
export function dynamoDoctorAccounts(table: DynamoTable): DoctorAccounts {
  const update = (userId: string, expression: string, values?: Record<string, unknown>) =>
    table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: profileKey(userId),
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(pk)',
        ...(values ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  return {
    list({ text, status, cursor, limit }) {
      const pk = 'ROLE#doctor';
      const q = text?.trim().toLowerCase();
      const filters = [STATUS_FILTERS[status], q ? 'contains(searchText, :q)' : undefined].filter(Boolean);
      return queryPage(
        table,
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeValues: { ':pk': pk, ...(q ? { ':q': q } : {}) },
        },
        { attribute: 'gsi1pk', value: pk },
        cursor,
        limit,
        fromItem,
      );
    },
    async setDeactivated(userId, at) {
      await (at === undefined
        ? update(userId, 'REMOVE deactivatedAt')
        : update(userId, 'SET deactivatedAt = :at', { ':at': at }));
    },
    async recordSignIn(userId, at) {
      try {
        await update(userId, 'SET lastSignInAt = :at', { ':at': at });
      } catch (err) {
        // A user without a profile (an unconfirmed sign-up's first attempt) has nothing to update.
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      }
    },
  };
}
