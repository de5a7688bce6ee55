/**
 * What one open-slots request reads, counted on the table client of the real composition (the
 * appointments area's adapters on DynamoDB Local): one Query of the doctor's busy days, the doctor's
 * schedule coming from the container's cache until it changes (docs/adr/0019-open-slots-in-one-read.md).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentDeps,
  appointmentsContext,
  type AppointmentsDeps,
} from '../../functions/adapters/wiring/appointments';
import { claimsOf, findOpenSlots, setAvailability } from '../../functions/core/appointments';
import { loadConfig } from '../../functions/lib/config';
import type { Appointment, Availability } from '../../shared/appointments';
import { ensureTable } from '../../infra/local/dynamo';
import { platform } from './support';

const DAY = 86_400_000;
const allDay = [{ start: '00:00', end: '24:00' }];
const hours = (slotMinutes: number): Availability => ({
  timeZone: 'UTC',
  slotMinutes,
  weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  daysOff: [],
});

// A table of its own, so the container cache of this composition is this test's alone.
const tableName = `slot-reads-${randomUUID()}`;
const doctorId = `doc-${randomUUID()}`;
const doctor = { userId: doctorId, email: 'reads@example.test', role: 'doctor' as const };
let deps: AppointmentsDeps;
const sent: string[] = [];

beforeAll(async () => {
  const endpoint = platform().dynamodbEndpoint;
  await ensureTable(endpoint, tableName);
  const context = appointmentsContext(
    loadConfig({
      AWS_REGION: 'local',
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: endpoint,
      PRACTICE_NAME: 'Reads Clinic',
      USER_POOL_ID: 'local_pool',
      USER_POOL_CLIENT_ID: 'client',
      SMS_PROVIDER: 'outbox',
      REMINDER_SCHEDULER: 'local',
      VIDEO_PROVIDER: 'p2p',
    }),
  );
  context.table.client.middlewareStack.add(
    (next, { commandName }) =>
      (args) => {
        sent.push(String(commandName));
        return next(args);
      },
    { step: 'initialize', name: 'countCommands' },
  );
  deps = appointmentDeps(context);
  await deps.profiles.put({
    userId: doctorId,
    role: 'doctor',
    name: 'Dr Reads',
    email: doctor.email,
    createdAt: new Date().toISOString(),
  });
  await deps.appointments.putAvailability(doctorId, hours(20));
});

/** The slots of the next `days` and the commands the request sent. */
async function openSlots(days: number) {
  sent.length = 0;
  const from = Date.now() + DAY;
  const slots = await findOpenSlots(
    doctorId,
    { from: new Date(from).toISOString(), to: new Date(from + days * DAY).toISOString(), purpose: 'book' },
    deps,
  );
  return { slots, reads: [...sent].sort() };
}

describe('an open-slots request', () => {
  it('reads the doctor once, then only their busy days, whatever the window', async () => {
    const first = await openSlots(7);
    expect(first.reads).toEqual(['GetItemCommand', 'GetItemCommand', 'QueryCommand']);
    expect(first.slots).toHaveLength(7 * 72);
    expect((await openSlots(7)).reads).toEqual(['QueryCommand']);
    expect((await openSlots(56)).reads).toEqual(['QueryCommand']);
  });

  it('sees bookings at once, with still one read', async () => {
    const { slots } = await openSlots(2);
    const at = new Date().toISOString();
    const appointment: Appointment = {
      appointmentId: randomUUID(),
      doctorId,
      patientId: `pat-${randomUUID()}`,
      doctorName: 'Dr Reads',
      patientName: 'Pat Reads',
      start: slots[3]!.start,
      end: slots[3]!.end,
      status: 'booked',
      reason: 'Reads',
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await deps.appointments.create(appointment, claimsOf(appointment));
    const after = await openSlots(2);
    expect(after.reads).toEqual(['QueryCommand']);
    expect(after.slots.map((s) => s.start)).not.toContain(appointment.start);
    expect(after.slots).toHaveLength(slots.length - 1);
  });

  it('reads the doctor afresh after they change their hours here', async () => {
    await setAvailability(doctor, hours(30), deps);
    const changed = await openSlots(1);
    expect(changed.reads).toEqual(['GetItemCommand', 'GetItemCommand', 'QueryCommand']);
    const lengths = new Set(changed.slots.map((s) => Date.parse(s.end) - Date.parse(s.start)));
    expect([...lengths]).toEqual([30 * 60_000]);
    expect((await openSlots(1)).reads).toEqual(['QueryCommand']);
  });
});
