/** In-memory implementations of core's ports, for domain tests. They honour the same conditions. */
import type { Appointment, Availability, DoctorSummary, Page } from '../../../shared/appointments';
import type { ServerFrame } from '../../../shared/live';
import {
  StaleWrite,
  type AppointmentRepository,
  type AuditEntry,
  type DoctorPatientLink,
  type ListOptions,
  type ReminderScheduler,
  type SmsMessage,
  type SmsSender,
  type StoredProfile,
  type TimeLocks,
} from '../ports';
import type { AppointmentDeps } from '../appointments';

function page<T>(items: T[], cursor: string | undefined, limit: number): Page<T> {
  const start = cursor ? Number(cursor) : 0;
  const slice = items.slice(start, start + limit);
  return { items: slice, nextCursor: start + limit < items.length ? String(start + limit) : undefined };
}

export function inMemoryDeps(now: { value: Date }) {
  const appointments = new Map<string, Appointment>();
  const availability = new Map<string, Availability>();
  const links = new Map<string, DoctorPatientLink>();
  const notes = new Map<string, any>();
  const profiles = new Map<string, StoredProfile>();
  const lockItems = new Map<string, { appointmentId: string; lockedAt: string }>();
  const sent: SmsMessage[] = [];
  const reminders = new Map<string, Date>();
  const audit: AuditEntry[] = [];
  const warnings: { message: string; attributes: Record<string, unknown> }[] = [];
  const pushed: { userId?: string; connectionId?: string; frame: ServerFrame; onlyInCall?: string }[] = [];
  let smsFailures = 0;

  const list = (filter: (a: Appointment) => boolean, o: ListOptions) => {
    const items = [...appointments.values()]
      .filter(filter)
      .filter((a) => (!o.from || a.start >= o.from) && (!o.to || a.start <= o.to))
      .filter((a) => !o.statuses || o.statuses.includes(a.status))
      .sort((a, b) => (o.order === 'asc' ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start)));
    return Promise.resolve(page(items, o.cursor, o.limit));
  };

  const repo: AppointmentRepository = {
    getAvailability: async (id) => availability.get(id),
    putAvailability: async (id, a) => void availability.set(id, a),
    create: async (a) => {
      if (appointments.has(a.appointmentId)) throw new StaleWrite();
      appointments.set(a.appointmentId, { ...a });
    },
    get: async (id) => (appointments.has(id) ? { ...appointments.get(id)! } : undefined),
    update: async (expected, changes) => {
      const stored = appointments.get(expected.appointmentId);
      if (!stored || stored.status !== expected.status || stored.start !== expected.start) {
        throw new StaleWrite();
      }
      const next = { ...expected, ...changes };
      appointments.set(expected.appointmentId, next);
      return { ...next };
    },
    listForDoctor: (id, o) => list((a) => a.doctorId === id, o),
    listForPatient: (id, o) => list((a) => a.patientId === id, o),
    linkDoctorPatient: async (l) => {
      const key = `${l.doctorId}/${l.patientId}`;
      links.set(key, { ...l, firstBookedAt: links.get(key)?.firstBookedAt ?? l.firstBookedAt });
    },
    getDoctorPatient: async (d, p) => links.get(`${d}/${p}`),
    listDoctorPatients: async (d, cursor, limit) =>
      page(
        [...links.values()].filter((l) => l.doctorId === d),
        cursor,
        limit,
      ),
    putNotes: async (n) => void notes.set(n.appointmentId, n),
    getNotes: async (id) => notes.get(id),
    listDoctors: async ({ cursor, limit }) =>
      page<DoctorSummary>(
        [...profiles.values()]
          .filter((p) => p.role === 'doctor')
          .map((p) => ({ doctorId: p.userId, name: p.name, specialty: p.specialty ?? '' })),
        cursor,
        limit,
      ),
  };

  const locks: TimeLocks = {
    tryLock: async (owner, bucket, appointmentId, at) => {
      const key = `${owner}/${bucket}`;
      const held = lockItems.get(key);
      if (held) return { acquired: false, heldBy: held.appointmentId, lockedAt: held.lockedAt };
      lockItems.set(key, { appointmentId, lockedAt: at });
      return { acquired: true };
    },
    takeOver: async (owner, bucket, from, to, at) => {
      const key = `${owner}/${bucket}`;
      if (lockItems.get(key)?.appointmentId !== from) return false;
      lockItems.set(key, { appointmentId: to, lockedAt: at });
      return true;
    },
    release: async (owner, bucket, appointmentId) => {
      const key = `${owner}/${bucket}`;
      if (lockItems.get(key)?.appointmentId === appointmentId) lockItems.delete(key);
    },
  };

  const sms: SmsSender = {
    send: async (m) => {
      if (smsFailures > 0) {
        smsFailures--;
        throw Object.assign(new Error('provider down'), { name: 'TwilioError' });
      }
      sent.push(m);
    },
  };
  const scheduler: ReminderScheduler = {
    schedule: async (id, at) => void reminders.set(id, at),
    cancel: async (id) => void reminders.delete(id),
  };

  const deps: AppointmentDeps = {
    appointments: repo,
    locks,
    profiles: { put: async (p) => void profiles.set(p.userId, p), get: async (id) => profiles.get(id) },
    reminders: scheduler,
    realtime: {
      toUser: async (userId, frame, onlyInCall) => void pushed.push({ userId, frame, onlyInCall }),
      toConnection: async (connectionId, frame) => void pushed.push({ connectionId, frame }),
    },
    sms,
    audit: { record: async (e) => void audit.push(e) },
    clock: { now: () => now.value },
    log: { warn: (message, attributes) => void warnings.push({ message, attributes }) },
    policy: { changeCutoffMinutes: 120, reminderMinutesBefore: 15 },
    sleep: async () => undefined,
  };

  return {
    deps,
    appointments,
    lockItems,
    sent,
    reminders,
    audit,
    warnings,
    pushed,
    profiles,
    failNextSms: (n: number) => void (smsFailures = n),
  };
}
