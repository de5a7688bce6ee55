/**
 * The DynamoDB adapters on DynamoDB Local: the same contract suites as the in-memory fakes, plus a
 * fault injected in the middle of a real transaction.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoAppointments } from '../../functions/adapters/dynamo/appointments';
import { claimKey } from '../../functions/adapters/dynamo/claims';
import { dynamoVisitQuality } from '../../functions/adapters/dynamo/visit-quality';
import { dynamoTable, type DynamoTable } from '../../functions/adapters/dynamo/client';
import { claimsOf } from '../../functions/core/appointments';
import type { AppointmentRepository } from '../../functions/core/ports';
import { appointmentRepositoryContract } from '../../functions/core/testing/repository-contract';
import { visitQualityRepositoryContract } from '../../functions/core/testing/visit-quality-contract';
import { ensureTable } from '../../infra/local/dynamo';
import { platform } from './support';

// A table of its own on the platform's DynamoDB Local, handed to the adapter directly.
const tableName = `contract-${randomUUID()}`;
let table: DynamoTable;
let repo: AppointmentRepository;

beforeAll(async () => {
  const endpoint = platform().dynamodbEndpoint;
  await ensureTable(endpoint, tableName);
  table = dynamoTable({ region: 'local', tableName, dynamodbEndpoint: endpoint });
  repo = dynamoAppointments(table);
});

appointmentRepositoryContract('DynamoDB adapter on DynamoDB Local', () => repo);
visitQualityRepositoryContract('DynamoDB adapter on DynamoDB Local', () => dynamoVisitQuality(table));

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
    await table.client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...claimKey(last), type: 'claim', appointmentId: 'someone-else' },
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
      table.client
        .send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))
        .then((r) => r.Item);
    expect(await repo.get(a.appointmentId)).toBeUndefined();
    expect(await repo.findBookingKey(a.patientId, key.key, 0)).toBeUndefined();
    for (const claim of claims.slice(0, -1)) expect(await read(claimKey(claim))).toBeUndefined();
    expect(await read(claimKey(last))).toMatchObject({ appointmentId: 'someone-else' });
  });
});
