import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WsAction } from '../../shared/live';
import { admit, as } from './support';
import { visitWithGuest } from './guests';
import { openPassSocket, openSocket, type TestSocket } from './ws-client';

const isCallFrame = (f: { type: string }) => ['signal', 'media', 'peer'].includes(f.type);

describe('a call of three over the real WebSocket API: doctor, patient and an admitted guest', () => {
  it('a guest joins only once admitted; each signal reaches only the participant it is addressed to', async () => {
    const visit = await visitWithGuest();
    const { doctor, patient, id } = visit;
    const guestId: string = visit.guest.guestId;
    await admit(doctor.token, id);
    const [d, p, g] = await Promise.all([
      openSocket(doctor.token),
      openSocket(patient.token),
      openPassSocket(visit.session),
    ]);
    await d.joinCall(id);
    await p.joinCall(id);
    expect(await d.next((f) => f.type === 'peer')).toMatchObject({ event: 'joined', role: 'patient' });
    // Checked in but not admitted: no seat in the call.
    expect(await g.joinCall(id)).toMatchObject({ type: 'error', code: 'not_participant' });

    await as(doctor.token).call('admitGuest', { appointmentId: id });
    const guestSeat = { id: guestId, role: 'guest', displayName: 'Ana' };
    expect(await g.joinCall(id)).toEqual({
      type: 'call.joined',
      appointmentId: id,
      you: guestSeat,
      participants: [
        { id: doctor.userId, role: 'doctor', displayName: expect.any(String) },
        { id: patient.userId, role: 'patient', displayName: expect.any(String) },
      ],
    });
    for (const s of [d, p])
      expect(await s.next((f) => f.type === 'peer' && f.participant.id === guestId)).toMatchObject({
        event: 'joined',
        role: 'guest',
        participant: guestSeat,
      });

    const signal = (s: TestSocket, to: string, session: string) =>
      s.send({ action: WsAction.signal, appointmentId: id, to, data: { kind: 'restart', session } });
    signal(d, guestId, 'D-G');
    signal(g, patient.userId, 'G-P');
    signal(p, doctor.userId, 'P-D');
    expect(await g.next((f) => f.type === 'signal')).toMatchObject({
      from: doctor.userId,
      data: { session: 'D-G' },
    });
    expect(await p.next((f) => f.type === 'signal')).toMatchObject({
      from: guestId,
      data: { session: 'G-P' },
    });
    expect(await d.next((f) => f.type === 'signal')).toMatchObject({
      from: patient.userId,
      data: { session: 'P-D' },
    });

    // The guest's identity holds for this visit only, and only toward its seats.
    const clientMessageId = `sig-${randomUUID()}`;
    g.send({
      action: WsAction.signal,
      appointmentId: id,
      to: `someone-${randomUUID()}`,
      clientMessageId,
      data: { kind: 'restart' },
    });
    expect(await g.next((f) => f.type === 'error' && f.clientMessageId === clientMessageId)).toMatchObject({
      code: 'not_participant',
    });
    g.send({ action: WsAction.callJoin, appointmentId: randomUUID() });
    expect(await g.next((f) => f.type === 'error')).toMatchObject({ code: 'forbidden' });

    // Media state goes to both others; leaving tells both, with who and why.
    g.send({ action: WsAction.media, appointmentId: id, audio: false, video: true, screen: false });
    for (const s of [d, p])
      expect(await s.next((f) => f.type === 'media')).toMatchObject({ from: guestId, audio: false });
    g.send({ action: WsAction.callLeave, appointmentId: id, reason: 'left' });
    for (const s of [d, p])
      expect(await s.next((f) => f.type === 'peer' && f.event === 'left')).toMatchObject({
        participant: guestSeat,
        reason: 'left',
      });
    // Nothing else crossed: no one got a frame meant for someone else.
    await Promise.all([d.flush(), p.flush(), g.flush()]);
    for (const s of [d, p, g]) expect(s.frames.filter(isCallFrame)).toEqual([]);
    for (const s of [d, p, g]) s.close();
  });
});
