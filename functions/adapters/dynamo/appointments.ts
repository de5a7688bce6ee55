import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Appointment, Availability, DoctorSummary, VisitNotes } from '../../../shared/appointments';
import type { AppointmentRepository, BookingKey, DoctorPatientLink, ListOptions } from '../../core/ports';
import type { DynamoTable } from './client';
import { queryPage } from './query';
import { transactAppointment } from './claims';
import { busyOfChange, busyOfNew, listBusy } from './busy-days';

export const appointmentKey = (id: string) => ({ pk: `APPT#${id}`, sk: 'APPT' });
const notesKey = (id: string) => ({ pk: `APPT#${id}`, sk: 'NOTES' });
const availabilityKey = (doctorId: string) => ({ pk: `USER#${doctorId}`, sk: 'AVAILABILITY' });
const linkKey = (doctorId: string, patientId: string) => ({ pk: `DOCPAT#${doctorId}`, sk: patientId });
export const bookingKeyKey = (patientId: string, key: string) => ({ pk: `BOOKINGKEY#${patientId}`, sk: key });

export function appointmentItem(a: Appointment) {
  return {
    ...appointmentKey(a.appointmentId),
    gsi1pk: `DOCAPPT#${a.doctorId}`,
    gsi1sk: `${a.start}#${a.appointmentId}`,
    gsi2pk: `PATAPPT#${a.patientId}`,
    gsi2sk: `${a.start}#${a.appointmentId}`,
    type: 'appointment',
    ...a,
  };
}

function strip<T>(item: Record<string, unknown>): T {
  const {
    pk: _a,
    sk: _b,
    gsi1pk: _c,
    gsi1sk: _d,
    gsi2pk: _e,
    gsi2sk: _f,
    type: _g,
    expiresAt: _h,
    ...rest
  } = item;
  return rest as T;
}

function listAppointments(
  table: DynamoTable,
  index: 'gsi1' | 'gsi2',
  partitionValue: string,
  options: ListOptions,
) {
  const pkName = `${index}pk`;
  const skName = `${index}sk`;
  const names: Record<string, string> = { '#pk': pkName, '#sk': skName };
  const values: Record<string, unknown> = {
    ':pk': partitionValue,
    ':from': options.from ?? '0000',
    ':to': `${options.to ?? '9999'}~`,
  };
  const filters: string[] = [];
  if (options.statuses?.length) {
    names['#status'] = 'status';
    options.statuses.forEach((s, i) => (values[`:s${i}`] = s));
    filters.push(`#status IN (${options.statuses.map((_, i) => `:s${i}`).join(', ')})`);
  }
  if (options.doctorId) {
    values[':doctorId'] = options.doctorId;
    filters.push('doctorId = :doctorId');
  }
  return queryPage<Appointment>(
    table,
    {
      IndexName: index,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: options.order === 'asc',
    },
    { attribute: pkName, value: partitionValue },
    options.cursor,
    options.limit,
    (item) => strip<Appointment>(item),
  );
}

function notesOf(item: Record<string, unknown>): VisitNotes {
  const {
    doctorId: _d,
    patientId: _p,
    ...notes
  } = strip<VisitNotes & { doctorId: string; patientId: string }>(item);
  return notes;
}

/** DynamoDB's limit on the keys of one BatchGetItem. */
const MAX_BATCH_KEYS = 100;
const BATCH_ATTEMPTS = 6;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads up to 100 items by key in one BatchGetItem. The keys DynamoDB leaves unprocessed (throttling,
 * or the 16 MB answer limit) are asked again with jittered exponential backoff; after
 * BATCH_ATTEMPTS the read fails rather than answering with items silently missing.
 */
export async function batchGet(
  table: DynamoTable,
  keys: readonly Record<string, string>[],
): Promise<Record<string, unknown>[]> {
  if (keys.length > MAX_BATCH_KEYS) throw new Error(`A batch read of ${keys.length} keys exceeds 100`);
  const items: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = [...keys];
  for (let attempt = 1; pending.length; attempt++) {
    if (attempt > BATCH_ATTEMPTS)
      throw new Error(`${pending.length} keys stayed unprocessed in a batch read`);
    if (attempt > 1) await pause(Math.random() * 25 * 2 ** attempt);
    const { Responses, UnprocessedKeys } = await table.client.send(
      new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending } } }),
    );
    items.push(...(Responses?.[table.name] ?? []));
    pending = UnprocessedKeys?.[table.name]?.Keys ?? [];
  }
  return items;
}

export function dynamoAppointments(table: DynamoTable): AppointmentRepository {
  const documentClient = table.client;
  const tableName = table.name;
  return {
    async getAvailability(doctorId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: availabilityKey(doctorId) }),
      );
      return Item ? (strip<{ availability: Availability }>(Item).availability ?? undefined) : undefined;
    },

    async putAvailability(doctorId, availability) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...availabilityKey(doctorId), type: 'availability', availability },
        }),
      );
    },

    async create(appointment, claims, bookingKey) {
      await transactAppointment(table, {
        appointmentId: appointment.appointmentId,
        appointment: {
          Put: {
            TableName: tableName,
            Item: appointmentItem(appointment),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        bookingKey: bookingKey && {
          Put: {
            TableName: tableName,
            Item: {
              ...bookingKeyKey(bookingKey.patientId, bookingKey.key),
              type: 'bookingKey',
              ...bookingKey,
            },
            // An expired key that TTL has not removed yet counts as unused.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(Date.parse(appointment.createdAt) / 1000) },
          },
        },
        add: claims,
        remove: [],
        follow: busyOfNew(tableName, appointment),
      });
    },

    async get(appointmentId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: appointmentKey(appointmentId), ConsistentRead: true }),
      );
      return Item ? strip<Appointment>(Item) : undefined;
    },

    async update(current, changes, claims) {
      const next = { ...current, ...changes, version: current.version + 1 };
      await transactAppointment(table, {
        appointmentId: current.appointmentId,
        appointment: {
          Put: {
            TableName: tableName,
            Item: appointmentItem(next),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': current.version },
          },
        },
        add: claims?.add ?? [],
        remove: claims?.remove ?? [],
        follow: busyOfChange(tableName, current, next, claims),
      });
      return next;
    },

    listBusy: (doctorId, from, to) => listBusy(table, doctorId, from, to),

    async findBookingKey(patientId, key, nowSeconds) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: bookingKeyKey(patientId, key), ConsistentRead: true }),
      );
      if (!Item || Number(Item.expiresAt) < nowSeconds) return undefined;
      return {
        patientId: String(Item.patientId),
        key: String(Item.key),
        requestHash: String(Item.requestHash),
        appointmentId: String(Item.appointmentId),
        expiresAt: Number(Item.expiresAt),
      } satisfies BookingKey;
    },

    listForDoctor: (doctorId, options) => listAppointments(table, 'gsi1', `DOCAPPT#${doctorId}`, options),
    listForPatient: (patientId, options) => listAppointments(table, 'gsi2', `PATAPPT#${patientId}`, options),

    async linkDoctorPatient(link) {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: linkKey(link.doctorId, link.patientId),
          UpdateExpression:
            'SET #type = :type, doctorId = :d, patientId = :p, patientName = :n, gsi1pk = :g1, gsi1sk = :g2, ' +
            'firstBookedAt = if_not_exists(firstBookedAt, :f), lastAppointmentStart = :l',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'doctorPatient',
            ':d': link.doctorId,
            ':p': link.patientId,
            ':n': link.patientName,
            ':g1': `DOCPATNAME#${link.doctorId}`,
            ':g2': `${link.patientName.toLowerCase()}#${link.patientId}`,
            ':f': link.firstBookedAt,
            ':l': link.lastAppointmentStart,
          },
        }),
      );
    },

    async getDoctorPatient(doctorId, patientId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: linkKey(doctorId, patientId) }),
      );
      return Item ? strip<DoctorPatientLink>(Item) : undefined;
    },

    listDoctorPatients(doctorId, cursor, limit) {
      const pk = `DOCPATNAME#${doctorId}`;
      return queryPage(
        table,
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        },
        { attribute: 'gsi1pk', value: pk },
        cursor,
        limit,
        (item) => strip<DoctorPatientLink>(item),
      );
    },

    async putNotes(notes) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...notesKey(notes.appointmentId), type: 'notes', ...notes },
        }),
      );
    },

    async getNotes(appointmentId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: notesKey(appointmentId) }),
      );
      return Item ? notesOf(Item) : undefined;
    },

    async getNotesOf(appointmentIds) {
      const found = new Map<string, VisitNotes>();
      const items = await batchGet(table, [...new Set(appointmentIds)].map(notesKey));
      for (const item of items) {
        const notes = notesOf(item);
        found.set(notes.appointmentId, notes);
      }
      return found;
    },

    listDoctors({ text, cursor, limit }) {
      const pk = 'ROLE#doctor';
      const q = text?.trim().toLowerCase();
      return queryPage<DoctorSummary>(
        table,
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          // Deactivated doctors (the admin console) are not in the directory.
          FilterExpression: [
            'attribute_not_exists(deactivatedAt)',
            ...(q ? ['contains(searchText, :q)'] : []),
          ].join(' AND '),
          ExpressionAttributeValues: { ':pk': pk, ...(q ? { ':q': q } : {}) },
        },
        { attribute: 'gsi1pk', value: pk },
        cursor,
        limit,
        (item) => ({
          doctorId: String(item.userId),
          name: String(item.name),
          specialty: String(item.specialty ?? ''),
        }),
      );
    },
  };
}
