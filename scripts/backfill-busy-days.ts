/**
 * Writes the busy days (docs/adr/0014) of upcoming appointments booked before they existed. Run once
 * per environment that holds such bookings; running it again changes nothing.
 *
 *   npx tsx scripts/backfill-busy-days.ts                         the local platform (`npm start`)
 *   npx tsx scripts/backfill-busy-days.ts --table <name> --region <region>   a deployed stack,
 *                                                                 with your AWS credentials
 */
import { parseArgs } from 'node:util';
import { backfillBusyDays } from '../functions/adapters/dynamo/busy-days-backfill';
import { dynamoTable } from '../functions/adapters/dynamo/client';
import { ACTIVE_STATUSES } from '../functions/core/appointments';
import { portsFromEnv } from '../infra/local/ports';
import { TABLE_NAME } from '../infra/local/table-name';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({ options: { table: { type: 'string' }, region: { type: 'string' } } });
const region = values.region ?? process.env.AWS_REGION;
if (values.table && !region) {
  console.error('--region (or AWS_REGION) is required with --table');
  process.exit(2);
}
const table = values.table
  ? dynamoTable({ tableName: values.table, region: region!, dynamodbEndpoint: undefined })
  : dynamoTable({
      tableName: TABLE_NAME,
      region: 'local',
      dynamodbEndpoint: `http://127.0.0.1:${portsFromEnv().dynamodb}`,
    });

const { restored, changedMeanwhile } = await backfillBusyDays(
  table,
  (a) => ACTIVE_STATUSES.includes(a.status),
  new Date().toISOString(),
);
console.log(
  `Busy time written for ${restored} upcoming appointments; ${changedMeanwhile} changed meanwhile and kept their own.`,
);
