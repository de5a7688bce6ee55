/** The open-slot pickers' cache of doctors' schedules: one per container and table. */
import { cachedSchedules, storedSchedules, type Schedules } from '../../core/schedules';
import type { Config } from '../../lib/config';
import type { DynamoTable } from '../dynamo/client';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoProfiles } from '../dynamo/profiles';

/**
 * How long a container trusts a doctor's hours and account state it read for the pickers. A change
 * reaches the container that made it at once and every other container within this time; booking
 * never relies on it (docs/adr/0019-open-slots-in-one-read.md).
 */
export const SCHEDULE_CACHE_MS = 5000;
/** Doctors kept per container: a few hundred bytes each. */
const SCHEDULES_KEPT = 2000;

const perTable = new Map<string, Schedules>();

/**
 * Shared by every composition in this container (the local platform's process is one container),
 * so a doctor's own change of hours or an admin's deactivation is seen at once where it was made.
 * The first composition's table client reads for all of them.
 */
export function schedulesOf(
  config: Pick<Config, 'tableName' | 'dynamodbEndpoint'>,
  table: DynamoTable,
): Schedules {
  const key = `${config.dynamodbEndpoint ?? ''}|${config.tableName}`;
  let schedules = perTable.get(key);
  if (!schedules) {
    schedules = cachedSchedules(
      storedSchedules({ profiles: dynamoProfiles(table), appointments: dynamoAppointments(table) }),
      { ttlMs: SCHEDULE_CACHE_MS, now: () => Date.now(), capacity: SCHEDULES_KEPT },
    );
    perTable.set(key, schedules);
  }
  return schedules;
}
