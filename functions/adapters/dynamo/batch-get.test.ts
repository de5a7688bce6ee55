import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchGet, dynamoAppointments } from './appointments';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));
const dynamo = mockClient(client);
const table = { client, name: 'T' };
const notesItem = (id: string) => ({
  pk: `APPT#${id}`,
  sk: 'NOTES',
  type: 'notes',
  appointmentId: id,
  doctorId: 'd',
  patientId: 'p',
  summary: `s ${id}`,
  summaryShared: false,
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const key = (id: string) => ({ pk: `APPT#${id}`, sk: 'NOTES' });

beforeEach(() => dynamo.reset());

describe('batchGet', () => {
  it('asks again for the keys DynamoDB left unprocessed, until none are left', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { T: [notesItem('a')] },
        UnprocessedKeys: { T: { Keys: [key('b'), key('c')] } },
      })
      .resolvesOnce({ Responses: { T: [notesItem('b')] }, UnprocessedKeys: { T: { Keys: [key('c')] } } })
      .resolvesOnce({ Responses: { T: [notesItem('c')] } });
    const items = await batchGet(table, [key('a'), key('b'), key('c')]);
    expect(items.map((i) => i.appointmentId)).toEqual(['a', 'b', 'c']);
    const asked = dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.T!.Keys);
    expect(asked).toEqual([[key('a'), key('b'), key('c')], [key('b'), key('c')], [key('c')]]);
  });

  it('fails rather than answer with items missing when keys stay unprocessed', async () => {
    dynamo.on(BatchGetCommand).resolves({ UnprocessedKeys: { T: { Keys: [key('a')] } } });
    await expect(batchGet(table, [key('a')])).rejects.toThrow('unprocessed');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(6);
  });

  it('refuses more than 100 keys (one BatchGetItem)', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => key(String(i)));
    await expect(batchGet(table, keys)).rejects.toThrow('exceeds 100');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});

describe('getNotesOf', () => {
  it('reads each appointment once and answers its notes without keys or ids of others', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { T: [notesItem('a')] } });
    const notes = await dynamoAppointments(table).getNotesOf(['a', 'b', 'a']);
    expect([...notes.keys()]).toEqual(['a']);
    expect(notes.get('a')).toEqual({
      appointmentId: 'a',
      summary: 's a',
      summaryShared: false,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.T!.Keys).toEqual([
      key('a'),
      key('b'),
    ]);
  });
});
