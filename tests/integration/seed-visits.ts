/**
 * Writes a long visit history straight into the local platform's table (25 items per BatchWriteItem),
 * as the appointment adapter stores it: many past visits without booking each through the API (which
 * allows three upcoming visits at a time). The doctor–patient link must exist already (one real
 * booking makes it).
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { appointmentItem } from '../../functions/adapters/dynamo/appointments';
import { dynamoTable } from '../../functions/adapters/dynamo/client';
import { TABLE_NAME } from '../../infra/local/table-name';
import type { Appointment } from '../../shared/appointments';

export interface SeedVisits {
  doctor: { userId: string; name: string };
  patient: { userId: string; name: string };
  count: number;
  /** The newest seeded visit starts a day before this instant, each earlier one a day before that. */
  before: number;
  /** Every n-th visit gets notes (0: none). */
  notesEvery?: number;
}

/** The seeded visits, newest first. */
export async function seedVisits(dynamodbEndpoint: string, seed: SeedVisits): Promise<Appointment[]> {
  const table = dynamoTable({ region: 'local', tableName: TABLE_NAME, dynamodbEndpoint });
  const visits: Appointment[] = Array.from({ length: seed.count }, (_, i) => {
    const start = new Date(seed.before - (i + 1) * 86_400_000);
    return {
      appointmentId: randomUUID(),
      doctorId: seed.doctor.userId,
      patientId: seed.patient.userId,
      doctorName: seed.doctor.name,
      patientName: seed.patient.name,
      start: start.toISOString(),
      end: new Date(start.getTime() + 20 * 60_000).toISOString(),
      status: 'completed',
      reason: `Follow-up ${i + 1}`,
      createdAt: start.toISOString(),
      updatedAt: start.toISOString(),
      version: 1,
    };
  });
  const items: Record<string, unknown>[] = visits.flatMap((visit, i) => {
    const withNotes = seed.notesEvery && i % seed.notesEvery === 0;
    return [
      appointmentItem(visit),
      ...(withNotes
        ? [
            {
              pk: `APPT#${visit.appointmentId}`,
              sk: 'NOTES',
              type: 'notes',
              appointmentId: visit.appointmentId,
              doctorId: visit.doctorId,
              patientId: visit.patientId,
              notes: `Notes of visit ${i + 1}`,
              summary: `Summary of visit ${i + 1}`,
              summaryShared: true,
              updatedAt: visit.end,
            },
          ]
        : []),
    ];
  });
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length) {
      const { UnprocessedItems } = await table.client.send(
        new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: pending } }),
      );
      pending = (UnprocessedItems?.[TABLE_NAME] ?? []) as typeof pending;
    }
  }
  return visits;
}
