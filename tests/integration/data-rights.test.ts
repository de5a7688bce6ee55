import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/appointments';
import { dataExportFileName } from '../../shared/data-rights';
import { WsAction } from '../../shared/live';
import {
  as,
  book,
  call,
  checkedInVisit,
  confirmPhone,
  initiateAuth,
  newDoctor,
  openSlotsOf,
  registerAndSignIn,
  tokenForRole,
} from './support';
import { openSocket } from './ws-client';

const DELETE = { confirm: 'DELETE' };

/** A patient who asked for texts and confirmed the phone, so the local outbox holds some for them. */
async function textedPatient() {
  const signedUp = await registerAndSignIn({ smsOptIn: true });
  await confirmPhone(signedUp.token);
  return signedUp;
}

/** A slot days ahead, safely beyond the 2-hour cut-off whatever other tests do to the clock. */
async function futureSlot(doctorId: string, token: string) {
  return (await openSlotsOf(doctorId, token, 24 * 12, 24 * 6))[0]!.start;
}

/** The audit entries about `userId` (as actor or as patient) between `since` and now, newest first. */
async function auditAbout(userId: string, since: number) {
  const admin = as(await tokenForRole('admin'));
  const range = {
    from: new Date(since).toISOString().slice(0, 10),
    to: new Date().toISOString().slice(0, 10),
  };
  const found = new Map<string, AuditRecord>();
  for (const filter of [{ actorId: userId }, { patientId: userId }]) {
    let cursor: string | undefined;
    do {
      const page = await admin.call('readAuditTrail', {
        query: { ...range, ...filter, limit: 100, ...(cursor ? { cursor } : {}) },
      });
      for (const r of page.items)
        found.set(`${r.at}#${r.action}#${r.requestId ?? ''}#${r.targetId ?? ''}`, r);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return [...found.values()].sort((a, b) => b.at.localeCompare(a.at));
}

describe('downloading all my data', () => {
  it("holds the patient's profile, visits with doctor, shared summary, chat and texts — nothing of another patient", async () => {
    const { doctor, patient, id } = await checkedInVisit();
    const socket = await openSocket(patient.token);
    const clientMessageId = `m-${randomUUID()}`;
    socket.send({ action: WsAction.chatSend, appointmentId: id, clientMessageId, text: 'My cough is worse' });
    await socket.next((f) => f.type === 'chat.ack' && f.clientMessageId === clientMessageId);
    socket.close();
    await as(doctor.token).call(
      'putVisitNotes',
      { appointmentId: id },
      { notes: 'Doctor-only impression 7731', summary: 'Drink fluids and rest', summaryShared: true },
    );
    const other = await textedPatient();
    const theirs = await book(other.token, doctor.userId, await futureSlot(doctor.userId, other.token));
    expect(theirs.status).toBe(201);

    const res = await call('exportMyData', { token: patient.token });

    expect(res.status).toBe(200);
    const data = res.json;
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${dataExportFileName(data.exportedAt)}"`,
    );
    expect(dataExportFileName(data.exportedAt)).toMatch(/^telehealth-data-\d{4}-\d{2}-\d{2}\.json$/);
    expect(data.profile).toMatchObject({ userId: patient.userId, email: patient.patient.email });
    expect(data.consents).toMatchObject({ termsVersion: expect.any(String), smsOptIn: false });
    expect(data.appointments).toHaveLength(1);
    expect(data.appointments[0]).toMatchObject({
      appointmentId: id,
      status: 'checked_in',
      doctorName: expect.stringMatching(/^Dr\. /),
      sharedSummary: { summary: 'Drink fluids and rest' },
      consents: [{ kind: 'telehealth', value: true }],
      messages: [{ text: 'My cough is worse', senderRole: 'patient' }],
    });
    const text = JSON.stringify(data);
    expect(text).not.toContain('Doctor-only impression 7731');
    for (const foreign of [
      other.userId,
      other.patient.email,
      other.patient.name,
      theirs.json.appointment.appointmentId,
    ])
      expect(text).not.toContain(foreign);
  });

  it('includes the texts the local outbox kept for the patient', async () => {
    const doctor = await newDoctor();
    const patient = await textedPatient();
    const booked = await book(patient.token, doctor.userId, await futureSlot(doctor.userId, patient.token));
    const data = await as(patient.token).call('exportMyData');
    expect(data.consents.smsOptIn).toBe(true);
    // Besides the booking, the local outbox kept the codes that confirmed the email and the phone.
    expect(data.texts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'booked', appointmentId: booked.json.appointment.appointmentId }),
        expect.objectContaining({ kind: 'phone-verification' }),
      ]),
    );
  });

  it('is for patients only: doctors and admins get 403 on both routes', async () => {
    for (const role of ['doctor', 'admin'] as const) {
      const token = await tokenForRole(role);
      expect((await call('exportMyData', { token })).status).toBe(403);
      const deletion = await call('deleteMyAccount', { token, body: DELETE });
      expect(deletion.status).toBe(403);
      expect(deletion.json.error.code).toBe('forbidden');
    }
    expect((await call('getMe', { token: await tokenForRole('doctor') })).status).toBe(200);
  });
});

describe('deleting my account', () => {
  it('refuses a request without the confirmation with 400 and changes nothing', async () => {
    const { token } = await textedPatient();
    for (const body of [
      {},
      { confirm: 'delete' },
      { confirm: 'DELETE', also: 'everything' },
      { confirm: true },
    ]) {
      const res = await call('deleteMyAccount', { token, body });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('validation_failed');
    }
    expect((await call('deleteMyAccount', { token, rawBody: 'DELETE' })).status).toBe(400);
    expect((await call('getMe', { token })).status).toBe(200);
  });

  it('cancels the future visit (time free again), ends sessions and sign-in, erases the profile, keeps records and audit', async () => {
    const startedAt = Date.now();
    const doctor = await newDoctor();
    const { patient, userId, token } = await textedPatient();
    const start = await futureSlot(doctor.userId, token);
    const booked = await book(token, doctor.userId, start);
    const appointmentId: string = booked.json.appointment.appointmentId;
    const socket = await openSocket(token);
    await socket.flush();
    const closed = new Promise<number>((resolve) => socket.socket.once('close', (code) => resolve(code)));
    const doctorSocket = await openSocket(doctor.token);

    const res = await call('deleteMyAccount', { token, body: DELETE });

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deletedAt: expect.any(String), cancelledAppointments: 1 });
    // The doctor is told at once, and the slot can be booked again.
    expect(await doctorSocket.next((f) => f.type === 'appointment' && f.event === 'cancelled')).toMatchObject(
      {
        appointment: { appointmentId, cancelReason: 'The patient deleted their account' },
      },
    );
    doctorSocket.close();
    const slots = await openSlotsOf(doctor.userId, doctor.token, 24 * 12, 24 * 6);
    expect(slots.map((s) => s.start)).toContain(start);
    // Every session has ended and the sign-in is gone.
    expect((await call('getMe', { token })).status).toBe(401);
    expect((await call('exportMyData', { token })).status).toBe(401);
    expect(await closed).toBe(1000);
    await expect(initiateAuth(patient.email, patient.password)).rejects.toThrow();
    // The doctor's records keep the visit; the profile holds no name, email or phone any more.
    const details = await as(doctor.token).call('getPatient', { patientId: userId });
    expect(details.patient).toEqual({ userId, name: 'Deleted patient', email: '' });
    const visits = await as(doctor.token).call('listPatientVisits', { patientId: userId });
    expect(visits.items).toEqual([expect.objectContaining({ appointmentId, status: 'cancelled' })]);
    const audit = await auditAbout(userId, startedAt);
    expect(audit.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'patient.registered',
        'appointment.booked',
        'appointment.cancelled',
        'account.deleted',
      ]),
    );
  });

  it('takes a double click in its stride: every answer is the same deletion or a 401 for the ended session', async () => {
    const { token } = await textedPatient();
    const answers = await Promise.all([1, 2, 3].map(() => call('deleteMyAccount', { token, body: DELETE })));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 401)).toBe(true);
    expect(new Set(ok.map((a) => a.json.deletedAt)).size).toBe(1);
    expect((await call('getMe', { token })).status).toBe(401);
  });
});
