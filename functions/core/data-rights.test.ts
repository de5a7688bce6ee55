import { beforeEach, describe, expect, it } from 'vitest';
import type { Availability, OutboxMessage } from '../../shared/appointments';
import type { ChatMessage } from '../../shared/live';
import { bookAppointment, saveVisitNotes } from './appointments';
import {
  ACCOUNT_DELETED_REASON,
  DELETED_PATIENT_NAME,
  deletePatientAccount,
  erasedProfile,
  exportPatientData,
  type AccountDeletionDeps,
  type DataExportDeps,
} from './data-rights';
import { NotFound } from './errors';
import type { Identity } from './identity';
import type { ConsentRecord, StoredProfile } from './ports';
import { inMemoryDeps, inMemorySessionStore, inMemoryVisitQuality } from './testing/in-memory';

const doctor: Identity = { userId: 'doc-1', email: 'd@example.com', role: 'doctor' };
const patient: Identity = { userId: 'pat-1', email: 'p@example.com', role: 'patient' };
const other: Identity = { userId: 'pat-2', email: 'o@example.com', role: 'patient' };

const allDay = [{ start: '00:00', end: '24:00' }];
const availability: Availability = {
  timeZone: 'UTC',
  slotMinutes: 20,
  weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  daysOff: [],
  // Visits minutes away, to test the cut-off and visits that have started.
  minNoticeMinutes: 0,
};

const profileOf = (who: Identity): StoredProfile => ({
  userId: who.userId,
  role: who.role,
  name: `Name of ${who.userId}`,
  email: who.email,
  phone: '+15555550100',
  dateOfBirth: '1980-01-01',
  smsOptIn: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  consents: { termsVersion: 't1', privacyVersion: 'p1', acceptedAt: '2026-01-01T00:00:00.000Z' },
});

const now = { value: new Date('2026-02-02T08:00:00Z') };
let mem: ReturnType<typeof inMemoryDeps>;
let chat: ChatMessage[];
let consents: ConsentRecord[];
let texts: (OutboxMessage & { recipientId: string })[];
let feedback: ReturnType<typeof inMemoryVisitQuality>;

function exportDeps(withOutbox = true): DataExportDeps {
  return {
    ...mem.deps,
    visitQuality: feedback,
    chat: {
      list: async (appointmentId, cursor, limit) => {
        const all = chat.filter((m) => m.appointmentId === appointmentId);
        const start = Number(cursor ?? 0);
        const next = start + limit < all.length ? String(start + limit) : undefined;
        return { items: all.slice(start, start + limit), nextCursor: next };
      },
    },
    consents: {
      list: async (appointmentId, kind) =>
        consents.filter((c) => c.appointmentId === appointmentId && c.kind === kind),
    },
    outbox: withOutbox
      ? {
          list: async (recipientId) => ({
            items: texts.filter((t) => t.recipientId === recipientId).map(({ recipientId: _, ...t }) => t),
          }),
        }
      : undefined,
  };
}

const book = (who: Identity, start: string) =>
  bookAppointment(who, { doctorId: doctor.userId, start, reason: 'Persistent cough' }, mem.deps);

beforeEach(async () => {
  now.value = new Date('2026-02-02T08:00:00Z');
  mem = inMemoryDeps(now);
  for (const who of [doctor, patient, other]) await mem.deps.profiles.put(profileOf(who));
  await mem.deps.appointments.putAvailability(doctor.userId, availability);
  chat = [];
  consents = [];
  texts = [];
  feedback = inMemoryVisitQuality();
});

/** The feedback a participant left on a visit, with a comment. */
const leaveFeedback = (appointmentId: string, who: Identity) =>
  feedback.add({
    appointmentId,
    userId: who.userId,
    patientId: who.userId,
    doctorId: doctor.userId,
    visitStart: '2026-02-02T10:00:00.000Z',
    week: '2026-W06',
    kind: 'visit',
    role: 'patient',
    score: 3,
    submittedAt: '2026-02-02T10:40:00.000Z',
    visitRating: 5,
    callRating: 3,
    comment: `Comment of ${who.userId}`,
  });

describe('exportPatientData', () => {
  it("holds the patient's profile, consents, appointments with shared summary, chat and texts, and nothing of others", async () => {
    const mine = await book(patient, '2026-02-02T10:00:00.000Z');
    const theirs = await book(other, '2026-02-02T11:00:00.000Z');
    await saveVisitNotes(
      doctor,
      mine.appointmentId,
      { notes: 'Private clinical impression', summary: 'Rest and fluids', summaryShared: true },
      mem.deps,
    );
    const message = (appointmentId: string, text: string): ChatMessage => ({
      messageId: text,
      appointmentId,
      clientMessageId: text,
      senderId: patient.userId,
      senderRole: 'patient',
      text,
      sentAt: '2026-02-02T10:01:00.000Z',
    });
    // More messages than one page holds: the export follows every page.
    chat = Array.from({ length: 130 }, (_, i) => message(mine.appointmentId, `mine ${i}`));
    chat.push(message(theirs.appointmentId, 'theirs'));
    const consent = (userId: string, kind: ConsentRecord['kind']): ConsentRecord => ({
      appointmentId: mine.appointmentId,
      userId,
      role: userId === doctor.userId ? 'doctor' : 'patient',
      kind,
      value: true,
      version: 'v1',
      at: '2026-02-02T09:50:00.000Z',
    });
    consents = [consent(patient.userId, 'telehealth'), consent(doctor.userId, 'recording')];
    texts = [
      {
        channel: 'sms',
        recipientId: patient.userId,
        messageId: 'm1',
        to: '+1',
        body: 'booked',
        kind: 'booked',
        createdAt: '',
      },
      {
        channel: 'sms',
        recipientId: other.userId,
        messageId: 'm2',
        to: '+2',
        body: 'booked',
        kind: 'booked',
        createdAt: '',
      },
    ];

    await leaveFeedback(mine.appointmentId, patient);
    await leaveFeedback(theirs.appointmentId, other);

    const data = await exportPatientData(patient, exportDeps());

    expect(data.exportedAt).toBe('2026-02-02T08:00:00.000Z');
    expect(data.profile).toMatchObject({
      userId: patient.userId,
      name: 'Name of pat-1',
      phone: '+15555550100',
    });
    expect(data.profile).not.toHaveProperty('consents');
    expect(data.consents).toEqual({
      termsVersion: 't1',
      privacyVersion: 'p1',
      acceptedAt: '2026-01-01T00:00:00.000Z',
      smsOptIn: true,
    });
    expect(data.appointments.map((a) => a.appointmentId)).toEqual([mine.appointmentId]);
    const [visit] = data.appointments;
    expect(visit).toMatchObject({ doctorName: 'Name of doc-1', reason: 'Persistent cough' });
    expect(visit!.sharedSummary).toEqual({ summary: 'Rest and fluids', updatedAt: expect.any(String) });
    expect(JSON.stringify(data)).not.toContain('Private clinical impression');
    expect(visit!.messages).toHaveLength(130);
    expect(visit!.consents).toEqual([
      { kind: 'telehealth', value: true, version: 'v1', at: consents[0]!.at },
    ]);
    expect(data.texts?.map((t) => t.messageId)).toEqual(['m1']);
    expect(visit!.feedback).toEqual({
      visitRating: 5,
      callRating: 3,
      comment: 'Comment of pat-1',
      submittedAt: '2026-02-02T10:40:00.000Z',
    });
    expect(JSON.stringify(data)).not.toContain('Comment of pat-2');
  });

  it('leaves out an unshared summary, and says texts are not kept where there is no outbox', async () => {
    const mine = await book(patient, '2026-02-02T10:00:00.000Z');
    await saveVisitNotes(
      doctor,
      mine.appointmentId,
      { notes: 'n', summary: 'Not yet for the patient', summaryShared: false },
      mem.deps,
    );
    const data = await exportPatientData(patient, exportDeps(false));
    expect(data.appointments[0]).not.toHaveProperty('sharedSummary');
    expect(data.texts).toBeNull();
  });

  it('refuses a deleted profile', async () => {
    await mem.deps.profiles.put(erasedProfile(profileOf(patient), '2026-02-01T00:00:00.000Z'));
    await expect(exportPatientData(patient, exportDeps())).rejects.toBeInstanceOf(NotFound);
  });
});

describe('deletePatientAccount', () => {
  let sessions: ReturnType<typeof inMemorySessionStore>;
  let deletedUsers: string[];
  let closed: string[];

  function deletionDeps(overrides: Partial<AccountDeletionDeps> = {}): AccountDeletionDeps {
    return {
      ...mem.deps,
      directory: { deleteUser: async (id) => void deletedUsers.push(id) },
      visitQuality: feedback,
      sessions: sessions.store,
      connections: {
        listForUser: async (userId) => [
          { connectionId: `${userId}-c1`, userId, role: 'patient', connectedAt: '', expiresAt: 0 },
        ],
      },
      closer: { close: async (id) => void closed.push(id) },
      sessionClock: { now: () => new Date(1_700_000_000_500) },
      ...overrides,
    };
  }

  beforeEach(() => {
    sessions = inMemorySessionStore();
    deletedUsers = [];
    closed = [];
  });

  it('erases the profile, cancels future visits even inside the cut-off, deletes the sign-in and ends sessions', async () => {
    const soon = await book(patient, '2026-02-02T08:40:00.000Z'); // inside the 2-hour cut-off
    const later = await book(patient, '2026-02-03T10:00:00.000Z');
    const theirs = await book(other, '2026-02-03T11:00:00.000Z');
    // Feedback left on a visit (the repository does not care about the visit's state).
    await leaveFeedback(later.appointmentId, patient);
    await leaveFeedback(theirs.appointmentId, other);
    mem.sent.length = 0;

    const result = await deletePatientAccount(patient, 'req-9', deletionDeps());

    expect(result).toEqual({ deletedAt: '2026-02-02T08:00:00.000Z', cancelledAppointments: 2 });
    const profile = mem.profiles.get(patient.userId)!;
    expect(profile).toEqual({
      userId: patient.userId,
      role: 'patient',
      name: DELETED_PATIENT_NAME,
      email: '',
      smsOptIn: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      deletedAt: '2026-02-02T08:00:00.000Z',
      consents: profileOf(patient).consents,
    });
    for (const id of [soon.appointmentId, later.appointmentId]) {
      expect(mem.appointments.get(id)).toMatchObject({
        status: 'cancelled',
        cancelledBy: 'patient',
        cancelReason: ACCOUNT_DELETED_REASON,
      });
      expect(mem.reminders.has(id)).toBe(false);
    }
    // The time is free again; the other patient's visit is untouched.
    expect([...mem.claims.values()]).toEqual(expect.not.arrayContaining([soon.appointmentId]));
    expect(mem.appointments.get(theirs.appointmentId)!.status).toBe('booked');
    // The doctor's dashboard hears of it; no text goes to the erased number.
    expect(mem.pushed.some((p) => p.userId === doctor.userId && p.frame.type === 'appointment')).toBe(true);
    expect(mem.sent).toEqual([]);
    expect(deletedUsers).toEqual([patient.userId]);
    // What they wrote about a visit is gone; the ratings stay; other patients' comments stay.
    const kept = await feedback.getFeedback(later.appointmentId, patient.userId);
    expect(kept).toMatchObject({ visitRating: 5, callRating: 3 });
    expect(kept).not.toHaveProperty('comment');
    expect(await feedback.getFeedback(theirs.appointmentId, other.userId)).toHaveProperty('comment');
    expect(sessions.validAfter.get(patient.userId)).toBe(1_700_000_000);
    expect(closed).toEqual([`${patient.userId}-c1`]);
    expect(mem.audit.at(-1)).toEqual({
      action: 'account.deleted',
      actorId: patient.userId,
      targetId: patient.userId,
      requestId: 'req-9',
    });
  });

  it('answers a repeated request with the same deletion and changes nothing more', async () => {
    await book(patient, '2026-02-03T10:00:00.000Z');
    const first = await deletePatientAccount(patient, undefined, deletionDeps());
    now.value = new Date('2026-02-02T09:00:00Z');
    const again = await deletePatientAccount(patient, undefined, deletionDeps());
    expect(again).toEqual({ deletedAt: first.deletedAt, cancelledAppointments: 0 });
    expect(mem.profiles.get(patient.userId)!.deletedAt).toBe(first.deletedAt);
  });

  it('completes on a second request after failing half-way, the patient still signed in meanwhile', async () => {
    const later = await book(patient, '2026-02-03T10:00:00.000Z');
    const failing = deletionDeps({
      directory: {
        deleteUser: async () => {
          throw new Error('Cognito unavailable');
        },
      },
    });
    await expect(deletePatientAccount(patient, undefined, failing)).rejects.toThrow('Cognito unavailable');
    expect(mem.profiles.get(patient.userId)!.name).toBe(DELETED_PATIENT_NAME);
    expect(mem.appointments.get(later.appointmentId)!.status).toBe('cancelled');
    expect(sessions.validAfter.has(patient.userId)).toBe(false);

    const done = await deletePatientAccount(patient, undefined, deletionDeps());
    expect(done.cancelledAppointments).toBe(0);
    expect(deletedUsers).toEqual([patient.userId]);
    expect(sessions.validAfter.get(patient.userId)).toBe(1_700_000_000);
  });

  it('leaves visits that have started or are checked in to the doctor, and refuses new bookings', async () => {
    const started = await book(patient, '2026-02-02T08:20:00.000Z');
    now.value = new Date('2026-02-02T08:30:00Z');
    await deletePatientAccount(patient, undefined, deletionDeps());
    expect(mem.appointments.get(started.appointmentId)!.status).toBe('booked');
    await expect(book(patient, '2026-02-04T10:00:00.000Z')).rejects.toBeInstanceOf(NotFound);
  });
});
