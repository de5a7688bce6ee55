/**
 * The DynamoDB adapter on DynamoDB Local: the same contract suite as the in-memory fake, plus a
 * fault injected in the middle of a real transaction.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimsOf } from '../../functions/core/appointments';
import type { AppointmentRepository } from '../../functions/core/ports';
import { appointmentRepositoryContract } from '../../functions/core/testing/repository-contract';
import { ensureTable } from '../../infra/local/dynamo';
import { platform } from './support';

// A table of its own on the platform's DynamoDB Local; the adapter reads its settings at load.
const tableName = `contract-${randomUUID()}`;
let repo: AppointmentRepository;
let adapter: {
  documentClient: typeof import('../../functions/adapters/dynamo/client').documentClient;
  claimKey: typeof import('../../functions/adapters/dynamo/claims').claimKey;
};

beforeAll(async () => {
  const endpoint = platform().dynamodbEndpoint;
  await ensureTable(endpoint, tableName);
  Object.assign(process.env, {
    AWS_REGION: 'local',
    TABLE_NAME: tableName,
    USER_POOL_ID: 'local_contract',
    USER_POOL_CLIENT_ID: 'contract',
    SMS_PROVIDER: 'outbox',
    REMINDER_SCHEDULER: 'local',
    VIDEO_PROVIDER: 'p2p',
    DYNAMODB_ENDPOINT: endpoint,
  });
  repo = (await import('../../functions/adapters/dynamo/appointments')).dynamoAppointments;
  adapter = {
    documentClient: (await import('../../functions/adapters/dynamo/client')).documentClient,
    claimKey: (await import('../../functions/adapters/dynamo/claims')).claimKey,
  };
});

appointmentRepositoryContract('DynamoDB adapter on DynamoDB Local', () => repo);

describe('DynamoDB adapter under a fault', () => {
  it('a transaction refused at its last claim leaves none of its earlier items behind', async () => {
    const start = '2031-04-07T10:00:00.000Z';
    const a = {
      appointmentId: randomUUID(),
      doctorId: `doc-${randomUUID()}`,
      patientId: `pat-${randomUUID()}`,
      doctorName: 'Dr Fault',
      patientName: 'Pat Fault',
      start,
      end: '2031-04-07T10:20:00.000Z',
      status: 'booked' as const,
      reason: 'Fault',
      createdAt: '2031-04-01T00:00:00.000Z',
      updatedAt: '2031-04-01T00:00:00.000Z',
      version: 1,
    };
    const claims = claimsOf(a);
    // Someone else holds the very last step the booking needs: DynamoDB has already checked the
    // appointment, the key and seven claims when it reaches it.
    const last = claims.at(-1)!;
    await adapter.documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...adapter.claimKey(last), type: 'claim', appointmentId: 'someone-else' },
      }),
    );
    const key = {
      patientId: a.patientId,
      key: `fault-${randomUUID()}`,
      requestHash: 'h',
      appointmentId: a.appointmentId,
      expiresAt: 1_950_000_000,
    };
    await expect(repo.create(a, claims, key)).rejects.toMatchObject({ claim: last });

    const read = (Key: Record<string, string>) =>
      adapter.documentClient
        .send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))
        .then((r) => r.Item);
    expect(await repo.get(a.appointmentId)).toBeUndefined();
    expect(await repo.findBookingKey(a.patientId, key.key, 0)).toBeUndefined();
    for (const claim of claims.slice(0, -1)) expect(await read(adapter.claimKey(claim))).toBeUndefined();
    expect(await read(adapter.claimKey(last))).toMatchObject({ appointmentId: 'someone-else' });
  });
});
