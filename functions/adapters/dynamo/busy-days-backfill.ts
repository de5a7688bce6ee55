/**
 * Busy days for appointments booked before they existed (docs/adr/0014): without their entries,
 * open slots would offer times that booking then refuses (`slot_taken`). A one-off operator task
 * (scripts/backfill-busy-days.ts), safe to run again and alongside live traffic.
 */
import { ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Appointment } from '../../../shared/appointments';
import type { DynamoTable } from './client';
import { appointmentKey } from './appointments';
import { busyOfNew } from './busy-days';

export interface BackfillResult {
  /** Appointments whose busy entry was written (again, if it existed). */
  restored: number;
  /** Appointments that changed between the scan and the write: their own transaction wrote busy time. */
  changedMeanwhile: number;
}

/**
 * Writes the busy entry of every appointment that `holdsTime` and ends after `since` (ISO), each in
 * a transaction with a check that the appointment still has the version scanned: a booking
 * cancelled or moved meanwhile keeps what its own transaction wrote. The entry is the one a booking
 * writes, so running this twice changes nothing. Reads the table with one paged Scan.
 */
export async function backfillBusyDays(
  table: DynamoTable,
  holdsTime: (appointment: Appointment) => boolean,
  since: string,
): Promise<BackfillResult> {
  const result: BackfillResult = { restored: 0, changedMeanwhile: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: '#type = :appointment AND #end > :since',
        ExpressionAttributeNames: { '#type': 'type', '#end': 'end' },
        ExpressionAttributeValues: { ':appointment': 'appointment', ':since': since },
        ExclusiveStartKey,
      }),
    );
    for (const item of (page.Items ?? []) as Appointment[]) {
      if (!holdsTime(item)) continue;
      try {
        await table.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: table.name,
                  Key: appointmentKey(item.appointmentId),
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': item.version },
                },
              },
              ...busyOfNew(table.name, item),
            ],
          }),
        );
        result.restored++;
      } catch (err) {
        if ((err as Error).name !== 'TransactionCanceledException') throw err;
        result.changedMeanwhile++;
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return result;
}
