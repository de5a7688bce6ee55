/**
 * One appointment change as one DynamoDB transaction: the appointment item (with its condition), an
 * optional booking key, the time claims it takes and the ones it frees. DynamoDB applies all of it or
 * none, and says per item why it refused (`CancellationReasons`, in request order); that is mapped
 * back to the port's errors so core can answer with the precise 409.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { BookingKeyTaken, StaleWrite, TimeTaken, WriteContention, type TimeClaim } from '../../core/ports';
import type { DynamoTable } from './client';

export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** DynamoDB's limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;
const ATTEMPTS = 5;

export const claimKey = (claim: TimeClaim) => ({ pk: `CLAIM#${claim.owner}`, sk: claim.bucket });

export interface AppointmentTransaction {
  appointmentId: string;
  appointment: TransactItem;
  bookingKey?: TransactItem;
  /** Written only where no claim exists: that condition is what prevents double booking. */
  add: readonly TimeClaim[];
  /** Deleted only while they are still this appointment's. */
  remove: readonly TimeClaim[];
  /** Unconditional writes that follow the change (the doctor's busy days); last, so never refused. */
  follow: readonly TransactItem[];
}

interface CancellationReason {
  Code?: string;
}

function transactItems(tableName: string, change: AppointmentTransaction): TransactItem[] {
  return [
    change.appointment,
    ...(change.bookingKey ? [change.bookingKey] : []),
    ...change.add.map((claim): TransactItem => ({
      Put: {
        TableName: tableName,
        Item: {
          ...claimKey(claim),
          type: 'claim',
          appointmentId: change.appointmentId,
          // Claims on past time are only history: TTL removes them a day after their bucket.
          expiresAt: Math.floor(Date.parse(claim.bucket) / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    ...change.remove.map((claim): TransactItem => ({
      Delete: {
        TableName: tableName,
        Key: claimKey(claim),
        ConditionExpression: 'appointmentId = :id',
        ExpressionAttributeValues: { ':id': change.appointmentId },
      },
    })),
    ...change.follow,
  ];
}

/** The port error for a cancelled transaction, or undefined when it only lost a race in flight. */
function refusal(change: AppointmentTransaction, reasons: CancellationReason[]): Error | undefined {
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  if (failed(0)) return new StaleWrite();
  let index = 1;
  if (change.bookingKey) {
    if (failed(index)) return new BookingKeyTaken();
    index++;
  }
  for (const claim of change.add) {
    if (failed(index)) return new TimeTaken(claim);
    index++;
  }
  for (const claim of change.remove) {
    // A claim that is not this appointment's, while the appointment's version matched: the data
    // broke an invariant, which no request can cause. Fail loudly.
    if (failed(index)) return new Error(`claim ${claim.bucket} is not held by this appointment`);
    index++;
  }
  return undefined;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function transactAppointment(table: DynamoTable, change: AppointmentTransaction): Promise<void> {
  const items = transactItems(table.name, change);
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(`An appointment change of ${items.length} items exceeds one transaction`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await table.client.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if ((err as Error).name !== 'TransactionCanceledException') throw err;
      const reasons = (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
      const refused = refusal(change, reasons);
      if (refused) throw refused;
      // Another transaction was writing the same items at that moment (TransactionConflict): once it
      // settles, the conditions decide. Retry with jittered backoff.
      if (attempt >= ATTEMPTS) throw new WriteContention();
      await pause(Math.random() * 25 * 2 ** attempt);
    }
  }
}
