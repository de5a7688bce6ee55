import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT, WsAction } from '../../shared/live';
import { admit, call, checkedInVisit, registerAndSignIn } from './support';
import { openSocket } from './ws-client';

const isPeer = (f: any) => f.type === 'peer';

describe('presence in the call', () => {
  it('tells the other side why a participant is gone: Leave, tab closed, or the socket dropped', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    await admit(doctor.token, id);
    const outsider = await openSocket((await registerAndSignIn()).token);
    const d = await openSocket(doctor.token);
    await d.joinCall(id);

    const p1 = await openSocket(patient.token);
    await p1.joinCall(id);
    expect(await d.next(isPeer)).toMatchObject({ event: 'joined', role: 'patient' });
    p1.send({ action: WsAction.callLeave, appointmentId: id, reason: 'left' });
    expect(await d.next(isPeer)).toMatchObject({ event: 'left', role: 'patient', reason: 'left' });
    // The socket closing after a deliberate leave says nothing more.
    p1.close();

    const p2 = await openSocket(patient.token);
    await p2.joinCall(id);
    expect(await d.next(isPeer)).toMatchObject({ event: 'joined' });
    p2.send({ action: WsAction.callLeave, appointmentId: id, reason: 'closed' });
    expect(await d.next(isPeer)).toMatchObject({ event: 'left', reason: 'closed' });
    p2.close();

    const p3 = await openSocket(patient.token);
    await p3.joinCall(id);
    expect(await d.next(isPeer)).toMatchObject({ event: 'joined' });
    p3.socket.terminate();
    expect(await d.next(isPeer)).toMatchObject({ event: 'left', reason: 'disconnected' });

    await d.flush();
    expect(d.frames.filter(isPeer)).toEqual([]);
    await outsider.flush();
    expect(outsider.frames.filter(isPeer)).toEqual([]);
    d.close();
    outsider.close();
  });

  it('refuses an unknown leave reason', async () => {
    const { patient, id } = await checkedInVisit();
    const p = await openSocket(patient.token);
    p.send({ action: WsAction.callLeave, appointmentId: id, reason: 'vanished' });
    expect(await p.next((f) => f.type === 'error')).toMatchObject({ code: 'validation_failed' });
    p.close();
  });

  it('relays a batch of candidates, and names a rate-limited signal frame so it can be sent again', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    await admit(doctor.token, id);
    const d = await openSocket(doctor.token);
    const p = await openSocket(patient.token);
    await d.joinCall(id);
    await p.joinCall(id);
    const candidates = [1, 2, 3].map((n) => ({
      candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${n} typ host`,
    }));
    p.send({
      action: WsAction.signal,
      appointmentId: id,
      to: doctor.userId,
      data: { kind: 'candidates', candidates },
    });
    expect(await d.next((f) => f.type === 'signal')).toMatchObject({
      from: patient.userId,
      data: { kind: 'candidates', candidates },
    });
    // Two windows' budget at most gets through, whichever boundary falls inside the burst.
    const ids = Array.from({ length: 2 * RATE_LIMIT.frames + 1 }, (_, i) => `sig-${i}-${randomUUID()}`);
    for (const clientMessageId of ids)
      p.send({
        action: WsAction.signal,
        appointmentId: id,
        to: doctor.userId,
        clientMessageId,
        data: { kind: 'restart' },
      });
    const refused = await p.next((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(ids).toContain(refused.clientMessageId);
    d.close();
    p.close();
  });
});

describe('waiting-room chat', () => {
  it('goes both ways before admission, with read receipts to the other participant only', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    const outsider = await openSocket((await registerAndSignIn()).token);
    const d = await openSocket(doctor.token);
    const p = await openSocket(patient.token);

    const fromPatient = `p-${randomUUID()}`;
    p.send({ action: WsAction.chatSend, appointmentId: id, clientMessageId: fromPatient, text: 'I am here' });
    const delivered = await d.next((f) => f.type === 'chat.message');
    expect(delivered.message).toMatchObject({ senderRole: 'patient', text: 'I am here' });

    const fromDoctor = `d-${randomUUID()}`;
    d.send({
      action: WsAction.chatSend,
      appointmentId: id,
      clientMessageId: fromDoctor,
      text: 'Two minutes',
    });
    expect(await d.next((f) => f.type === 'chat.ack')).toMatchObject({ clientMessageId: fromDoctor });
    expect(await p.next((f) => f.type === 'chat.message' && f.message.senderRole === 'doctor')).toMatchObject(
      {
        message: { text: 'Two minutes' },
      },
    );

    d.send({ action: WsAction.chatRead, appointmentId: id, messageId: delivered.message.messageId });
    expect(await p.next((f) => f.type === 'chat.read')).toMatchObject({
      appointmentId: id,
      messageId: delivered.message.messageId,
      readerRole: 'doctor',
    });
    await d.flush();
    expect(d.frames.filter((f) => f.type === 'chat.read')).toEqual([]);
    await outsider.flush();
    expect(outsider.frames.filter((f) => f.type.startsWith('chat.'))).toEqual([]);

    outsider.send({ action: WsAction.chatRead, appointmentId: id, messageId: 'x' });
    expect(await outsider.next((f) => f.type === 'error')).toMatchObject({ code: 'not_participant' });
    d.close();
    p.close();
    outsider.close();
  });
});

describe('waiting-room presence', () => {
  it('tells the doctor when the patient opens, closes or drops out of the waiting room, and no one else', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    const outsider = await openSocket((await registerAndSignIn()).token);
    const dashboard = await openSocket(doctor.token);
    const waiting = await openSocket(patient.token);
    const isWaiting = (f: any) => f.type === 'waiting';

    waiting.send({ action: WsAction.waitingPresence, appointmentId: id, present: true });
    expect(await dashboard.next(isWaiting)).toEqual({ type: 'waiting', appointmentId: id, present: true });
    const queue = await call('waitingRoom', { token: doctor.token });
    expect(queue.json.items).toEqual([expect.objectContaining({ appointmentId: id, present: true })]);

    waiting.send({ action: WsAction.waitingPresence, appointmentId: id, present: false });
    expect(await dashboard.next(isWaiting)).toMatchObject({ present: false, reason: 'closed' });
    expect((await call('waitingRoom', { token: doctor.token })).json.items[0].present).toBe(false);

    waiting.send({ action: WsAction.waitingPresence, appointmentId: id, present: true });
    expect(await dashboard.next(isWaiting)).toMatchObject({ present: true });
    waiting.socket.terminate();
    expect(await dashboard.next(isWaiting)).toMatchObject({ present: false, reason: 'disconnected' });

    // Only the appointment's patient may say this; the doctor hears nothing from anyone else.
    outsider.send({ action: WsAction.waitingPresence, appointmentId: id, present: true });
    expect(await outsider.next((f) => f.type === 'error')).toMatchObject({ code: 'not_participant' });
    dashboard.send({ action: WsAction.waitingPresence, appointmentId: id, present: true });
    expect(await dashboard.next((f) => f.type === 'error')).toMatchObject({ code: 'forbidden' });
    await dashboard.flush();
    expect(dashboard.frames.filter(isWaiting)).toEqual([]);
    await outsider.flush();
    expect(outsider.frames.filter(isWaiting)).toEqual([]);
    dashboard.close();
    outsider.close();
  });

  it('once admitted, a late "closed" from the waiting room leaves the socket in the call', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    const p = await openSocket(patient.token);
    p.send({ action: WsAction.waitingPresence, appointmentId: id, present: true });
    await p.flush();
    await admit(doctor.token, id);
    await p.joinCall(id);
    p.send({ action: WsAction.waitingPresence, appointmentId: id, present: false });
    const d = await openSocket(doctor.token);
    await d.joinCall(id);
    d.send({
      action: WsAction.signal,
      appointmentId: id,
      to: patient.userId,
      data: { kind: 'restart', session: 'D1' },
    });
    expect(await p.next((f) => f.type === 'signal')).toMatchObject({ from: doctor.userId });
    d.close();
    p.close();
  });
});
