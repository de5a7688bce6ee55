import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ProfileRepository, StoredProfile } from '../../core/ports';
import type { DynamoTable } from './client';

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
