/**
 * The DynamoDB adapters on DynamoDB Local: the same contract suites as the in-memory fakes, plus a
 * fault injected in the middle of a real transaction.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { appointmentItem, dynamoAppointments } from '../../functions/adapters/dynamo/appointments';
import { backfillBusyDays } from '../../functions/adapters/dynamo/busy-days-backfill';
import { claimKey } from '../../functions/adapters/dynamo/claims';
import { dynamoVisitQuality } from '../../functions/adapters/dynamo/visit-quality';
import { dynamoTable, type DynamoTable } from '../../functions/adapters/dynamo/client';
import { ACTIVE_STATUSES, claimChanges, claimsOf } from '../../functions/core/appointments';
import type { AppointmentRepository } from '../../functions/core/ports';
import { appointmentRepositoryContract } from '../../functions/core/testing/repository-contract';
import { visitQualityRepositoryContract } from '../../functions/core/testing/visit-quality-contract';
import type { Appointment } from '../../shared/appointments';
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

describe('busy-day backfill on DynamoDB Local', () => {
  it('gives upcoming bookings made before busy days theirs, once, and leaves the rest', async () => {
    // A table of its own: the backfill scans all of it.
    const backfillTable = `backfill-${randomUUID()}`;
    await ensureTable(platform().dynamodbEndpoint, backfillTable);
    const old = dynamoTable({
      region: 'local',
      tableName: backfillTable,
      dynamodbEndpoint: platform().dynamodbEndpoint,
    });
    const doctorId = `doc-${randomUUID()}`;
    const booking = (start: string, status: Appointment['status']): Appointment => ({
      appointmentId: randomUUID(),
      doctorId,
      patientId: `pat-${randomUUID()}`,
      doctorName: 'Dr Before',
      patientName: 'Pat Before',
      start,
      end: start.replace(':00:00.000Z', ':20:00.000Z'),
      status,
      reason: 'Before busy days',
      createdAt: '2031-01-01T00:00:00.000Z',
      updatedAt: '2031-01-01T00:00:00.000Z',
      version: 1,
    });
    const upcoming = booking('2031-05-06T09:00:00.000Z', 'booked');
    const checkedIn = booking('2031-05-07T09:00:00.000Z', 'checked_in');
    const cancelled = booking('2031-05-06T10:00:00.000Z', 'cancelled');
    const past = booking('2031-04-01T09:00:00.000Z', 'booked');
    // As written before busy days existed: the appointment item alone.
    for (const a of [upcoming, checkedIn, cancelled, past]) {
      await old.client.send(new PutCommand({ TableName: backfillTable, Item: appointmentItem(a) }));
    }
    const busy = () =>
      dynamoAppointments(old).listBusy(
        doctorId,
        Date.parse('2031-03-01T00:00:00.000Z'),
        Date.parse('2031-06-01T00:00:00.000Z'),
      );
    expect(await busy()).toEqual([]);

    const holdsTime = (a: Appointment) => ACTIVE_STATUSES.includes(a.status);
    const since = '2031-05-01T00:00:00.000Z';
    expect(await backfillBusyDays(old, holdsTime, since)).toEqual({ restored: 2, changedMeanwhile: 0 });
    const expected = [upcoming, checkedIn].map(({ appointmentId, start, end }) => ({
      appointmentId,
      start: Date.parse(start),
      end: Date.parse(end),
    }));
    expect(await busy()).toEqual(expected);
    expect(await backfillBusyDays(old, holdsTime, since)).toEqual({ restored: 2, changedMeanwhile: 0 });
    expect(await busy()).toEqual(expected);
  });
});

describe('busy days written before the entry set (one attribute per appointment)', () => {
  it('are read, and give way to the first change that touches them', async () => {
    const doctorId = `doc-${randomUUID()}`;
    const a: Appointment = {
      appointmentId: randomUUID(),
      doctorId,
      patientId: `pat-${randomUUID()}`,
      doctorName: 'Dr Legacy',
      patientName: 'Pat Legacy',
      start: '2031-06-03T09:00:00.000Z',
      end: '2031-06-03T09:20:00.000Z',
      status: 'booked',
      reason: 'Legacy',
      createdAt: '2031-06-01T00:00:00.000Z',
      updatedAt: '2031-06-01T00:00:00.000Z',
      version: 1,
    };
    await repo.create(a, claimsOf(a));
    // The day as the earlier design wrote it.
    const dayKey = { pk: `BUSY#${doctorId}`, sk: '2031-06-03' };
    await table.client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...dayKey, type: 'busyDay', [`a_${a.appointmentId}`]: `${a.start}/${a.end}` },
      }),
    );
    const busy = () =>
      repo.listBusy(doctorId, Date.parse('2031-06-01T00:00:00.000Z'), Date.parse('2031-06-05T00:00:00.000Z'));
    const interval = (t: { start: string; end: string }) => ({
      start: Date.parse(t.start),
      end: Date.parse(t.end),
    });
    const day = () =>
      table.client
        .send(new GetCommand({ TableName: tableName, Key: dayKey, ConsistentRead: true }))
        .then((r) => r.Item!);
    expect(await busy()).toEqual([{ appointmentId: a.appointmentId, ...interval(a) }]);

    const later = { start: '2031-06-03T11:00:00.000Z', end: '2031-06-03T11:20:00.000Z' };
    const moved = await repo.update(a, later, claimChanges(claimsOf(a), claimsOf({ ...a, ...later })));
    expect(await busy()).toEqual([{ appointmentId: a.appointmentId, ...interval(later) }]);
    expect(Object.keys(await day())).not.toContain(`a_${a.appointmentId}`);

    await repo.update(moved, { status: 'cancelled' }, { add: [], remove: claimsOf(moved) });
    expect(await busy()).toEqual([]);
  });
});
