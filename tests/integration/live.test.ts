import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CALL_TOKEN_MARGIN_MINUTES,
  OVERRUN_MINUTES,
  RATE_LIMIT,
  TELEHEALTH_CONSENT_VERSION,
  WsAction,
} from '../../shared/live';
import { MAX_LEASE } from '../../functions/core/frame-budget';
import {
  admit,
  advanceClock,
  book,
  call,
  checkedInVisit,
  countedFrames,
  DEVICE_CHECK_PASSED,
  newDoctor,
  openSlotsOf,
  platformNow,
  registerAndSignIn,
} from './support';
import { openSocket, type TestSocket } from './ws-client';

const deviceCheck = DEVICE_CHECK_PASSED;

async function sendChat(
  s: TestSocket,
  appointmentId: string,
  text: string,
  clientMessageId = `m-${randomUUID()}`,
) {
  s.send({ action: WsAction.chatSend, appointmentId, clientMessageId, text });
  return s.next((f) => f.type === 'chat.ack' && f.clientMessageId === clientMessageId);
}

describe('waiting room and call over the real WebSocket API', () => {
  it('the doctor sees a check-in live, admits, and the patient is told; both get call details', async () => {
    const doctor = await newDoctor(10);
    const patient = await registerAndSignIn();
    const dashboard = await openSocket(doctor.token);
    const waiting = await openSocket(patient.token);
    const slot = (await openSlotsOf(doctor.userId, patient.token))[0]!.start;
    const id = (await book(patient.token, doctor.userId, slot)).json.appointment.appointmentId;
    await advanceClock(Date.parse(slot) - 5 * 60_000);
    expect(await dashboard.next((f) => f.type === 'appointment')).toMatchObject({
      event: 'booked',
      appointment: { appointmentId: id },
    });
    await call('checkIn', {
      params: { appointmentId: id },
      token: patient.token,
      body: { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck },
    });
    expect(await dashboard.next((f) => f.type === 'appointment' && f.event === 'checked_in')).toMatchObject({
      appointment: { status: 'checked_in' },
    });
    const queue = await call('waitingRoom', { token: doctor.token });
    expect(queue.json.items).toEqual([
      expect.objectContaining({ appointmentId: id, deviceCheckPassed: true }),
    ]);
    expect(
      (await call('joinCall', { params: { appointmentId: id }, token: patient.token })).json.error.code,
    ).toBe('not_admitted');
    await admit(doctor.token, id);
    expect(await waiting.next((f) => f.type === 'appointment' && f.event === 'admitted')).toBeDefined();
    const join = await call('joinCall', { params: { appointmentId: id }, token: patient.token });
    expect(join.json).toMatchObject({ provider: 'p2p', iceServers: [] });
    // The call lives as long as the running visit's room: its end plus the overrun, plus a margin.
    const slotEnd = Date.parse(
      (await call('getAppointment', { params: { appointmentId: id }, token: patient.token })).json.appointment
        .end,
    );
    expect(Date.parse(join.json.expiresAt)).toBe(
      slotEnd + (OVERRUN_MINUTES + CALL_TOKEN_MARGIN_MINUTES) * 60_000,
    );
    // Peer-to-peer calls are never recorded: agreeing during the call is refused, not stored.
    const consent = await call('recordingConsent', {
      params: { appointmentId: id },
      token: patient.token,
      body: { consent: true },
    });
    expect([consent.status, consent.json.error.code]).toEqual([409, 'recording_unavailable']);
    dashboard.close();
    waiting.close();
  });

  it('relays signaling between the two participants only, and tells each when the other joins or leaves', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    await admit(doctor.token, id);
    const outsider = await registerAndSignIn();
    const [d, p, o] = await Promise.all([
      openSocket(doctor.token),
      openSocket(patient.token),
      openSocket(outsider.token),
    ]);
    const doctorSeat = { id: doctor.userId, role: 'doctor', displayName: expect.any(String) };
    const patientSeat = { id: patient.userId, role: 'patient', displayName: expect.any(String) };
    expect(await d.joinCall(id)).toEqual({
      type: 'call.joined',
      appointmentId: id,
      you: doctorSeat,
      participants: [],
    });
    expect(await p.joinCall(id)).toEqual({
      type: 'call.joined',
      appointmentId: id,
      you: patientSeat,
      participants: [doctorSeat],
    });
    expect(await d.next((f) => f.type === 'peer')).toMatchObject({
      event: 'joined',
      role: 'patient',
      participant: patientSeat,
    });
    d.send({
      action: WsAction.signal,
      appointmentId: id,
      to: patient.userId,
      data: { kind: 'offer', sdp: 'v=0 fake' },
    });
    expect(await p.next((f) => f.type === 'signal')).toMatchObject({
      from: doctor.userId,
      data: { kind: 'offer', sdp: 'v=0 fake' },
    });
    p.send({ action: WsAction.media, appointmentId: id, audio: false, video: true, screen: false });
    expect(await d.next((f) => f.type === 'media')).toMatchObject({
      from: patient.userId,
      audio: false,
      video: true,
    });
    p.socket.terminate();
    expect(await d.next((f) => f.type === 'peer' && f.event === 'left')).toMatchObject({ role: 'patient' });
    await o.flush();
    expect(o.frames.filter((f) => f.type === 'signal' || f.type === 'media' || f.type === 'peer')).toEqual(
      [],
    );
    d.close();
    o.close();
  });

  it('an outsider cannot join the call, relay signaling, chat or read the chat', async () => {
    const { doctor, id } = await checkedInVisit();
    await admit(doctor.token, id);
    const outsider = await registerAndSignIn();
    const o = await openSocket(outsider.token);
    for (const frame of [
      { action: WsAction.callJoin, appointmentId: id },
      {
        action: WsAction.signal,
        appointmentId: id,
        to: doctor.userId,
        data: { kind: 'offer' as const, sdp: 'x' },
      },
      { action: WsAction.chatSend, appointmentId: id, clientMessageId: 'outsider-1', text: 'let me in' },
    ]) {
      o.send(frame);
      expect(await o.next((f) => f.type === 'error')).toMatchObject({ code: 'not_participant' });
    }
    expect((await call('joinCall', { params: { appointmentId: id }, token: outsider.token })).status).toBe(
      403,
    );
    expect(
      (await call('listMessages', { params: { appointmentId: id }, token: outsider.token })).status,
    ).toBe(403);
    const otherDoctor = await newDoctor();
    expect(
      (await call('listMessages', { params: { appointmentId: id }, token: otherDoctor.token })).status,
    ).toBe(403);
    const transcript = await call('listMessages', { params: { appointmentId: id }, token: doctor.token });
    expect(transcript.json.items).toEqual([]);
    o.close();
  });

  it('a signal reaches only the participant it is addressed to, never someone outside this call', async () => {
    // Two visits in progress at once, each with its doctor and patient in the call.
    const first = await checkedInVisit();
    await admit(first.doctor.token, first.id);
    const second = await checkedInVisit();
    await admit(second.doctor.token, second.id);
    const [d, p, d2, p2] = await Promise.all([
      openSocket(first.doctor.token),
      openSocket(first.patient.token),
      openSocket(second.doctor.token),
      openSocket(second.patient.token),
    ]);
    for (const [s, id] of [
      [d, first.id],
      [p, first.id],
      [d2, second.id],
      [p2, second.id],
    ] as const)
      await s.joinCall(id);
    // To someone in another call, to oneself, to nobody: refused, and nothing is delivered.
    for (const to of [second.patient.userId, second.doctor.userId, first.doctor.userId, 'guest_unknown']) {
      const clientMessageId = `sig-${randomUUID()}`;
      d.send({
        action: WsAction.signal,
        appointmentId: first.id,
        to,
        clientMessageId,
        data: { kind: 'restart' },
      });
      expect(await d.next((f) => f.type === 'error' && f.clientMessageId === clientMessageId)).toMatchObject({
        code: 'not_participant',
      });
    }
    // Nor can the other visit's patient address this call's patient through their own visit.
    p2.send({
      action: WsAction.signal,
      appointmentId: second.id,
      to: first.patient.userId,
      data: { kind: 'restart' },
    });
    expect(await p2.next((f) => f.type === 'error')).toMatchObject({ code: 'not_participant' });
    p2.send({
      action: WsAction.signal,
      appointmentId: first.id,
      to: first.patient.userId,
      data: { kind: 'restart' },
    });
    expect(await p2.next((f) => f.type === 'error')).toMatchObject({ code: 'not_participant' });
    // The addressed participant gets it, with the sender's id; nobody else gets anything.
    d.send({
      action: WsAction.signal,
      appointmentId: first.id,
      to: first.patient.userId,
      data: { kind: 'restart', session: 'D9' },
    });
    expect(await p.next((f) => f.type === 'signal')).toMatchObject({
      appointmentId: first.id,
      from: first.doctor.userId,
      data: { kind: 'restart', session: 'D9' },
    });
    // A signal without an addressee is refused as invalid.
    d.send({ action: WsAction.signal, appointmentId: first.id, data: { kind: 'restart' } });
    expect(await d.next((f) => f.type === 'error')).toMatchObject({ code: 'validation_failed' });
    await Promise.all([p.flush(), d2.flush(), p2.flush()]);
    for (const s of [p, d2, p2]) expect(s.frames.filter((f) => f.type === 'signal')).toEqual([]);
    for (const s of [d, p, d2, p2]) s.close();
  });

  it('outside the window the call is refused with a message saying when the room opens', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn();
    const later = (await openSlotsOf(doctor.userId, patient.token, 24 * 7, 3))[0]!;
    const id = (await book(patient.token, doctor.userId, later.start)).json.appointment.appointmentId;
    const early = await call('checkIn', {
      params: { appointmentId: id },
      token: patient.token,
      body: { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck },
    });
    expect(early.status).toBe(403);
    expect(early.json.error.code).toBe('room_not_open');
    // When, relative to the appointment; the app puts the clock time into the viewer's own zone.
    expect(early.json.error.message).toBe('The waiting room opens 15 minutes before the appointment.');
    expect(early.json.error.message).not.toMatch(/UTC|\dT\d/);
    expect(
      (await call('joinCall', { params: { appointmentId: id }, token: patient.token })).json.error.code,
    ).toBe('room_not_open');
  });
});

describe('frame limits', () => {
  it('answers a burst beyond the frame budget with error frames, then serves again', async () => {
    const patient = await registerAndSignIn();
    const s = await openSocket(patient.token);
    // Sent within one window or across one boundary: at most two windows' budget gets through.
    const sent = 2 * RATE_LIMIT.frames + 20;
    for (let i = 0; i < sent; i++) s.send({ action: 'no.such.action', clientMessageId: `x-${i}` });
    await s.received(sent, 30_000);
    const served = s.frames.filter((f) => f.code === 'unknown_action').length;
    const limited = s.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').length;
    expect(served + limited).toBe(sent);
    expect(limited).toBeGreaterThanOrEqual(20);
    expect(served).toBeGreaterThanOrEqual(RATE_LIMIT.frames);
    // The limiter runs on the platform's clock: move it on instead of waiting for the window to end.
    await advanceClock((await platformNow()) + RATE_LIMIT.windowSeconds * 1000);
    s.frames.length = 0;
    s.send({ action: 'no.such.action', clientMessageId: 'after' });
    expect(await s.next()).toMatchObject({ code: 'unknown_action', clientMessageId: 'after' });
    s.close();
  });

  it('answers pings as the route response, outside the frame budget and without touching the table', async () => {
    const patient = await registerAndSignIn();
    const s = await openSocket(patient.token);
    const from = await platformNow();
    const pings = 2 * RATE_LIMIT.frames + 20;
    for (let i = 0; i < pings; i++) s.send({ action: WsAction.ping, id: `p-${i}` });
    await s.received(pings, 30_000);
    expect(s.frames.map((f) => f.type)).toEqual(Array(pings).fill('pong'));
    expect(new Set(s.frames.map((f) => f.id)).size).toBe(pings);
    // None of them was counted: the whole budget of this window is still there.
    s.frames.length = 0;
    for (let i = 0; i < RATE_LIMIT.frames; i++)
      s.send({ action: 'no.such.action', clientMessageId: `y-${i}` });
    await s.received(RATE_LIMIT.frames, 30_000);
    const limited = s.frames.filter((f) => f.code === 'rate_limited').length;
    // A window boundary falling inside the burst can only add budget, never take it away.
    expect(limited).toBe(0);
    // The table saw the counted frames and nothing for the pings. It counts what the function took
    // from the budget: a lease taken in a window that ended inside the burst may be partly unused.
    const counted = await countedFrames(patient.userId, from, await platformNow());
    expect(counted).toBeGreaterThanOrEqual(RATE_LIMIT.frames);
    expect(counted).toBeLessThan(RATE_LIMIT.frames + MAX_LEASE);
    s.close();
  });

  it('refuses a frame over 32 KB with an error frame and keeps the connection', async () => {
    const patient = await registerAndSignIn();
    const s = await openSocket(patient.token);
    s.send({ action: WsAction.ping, id: 'x', pad: 'y'.repeat(40 * 1024) });
    expect(await s.next((f) => f.type === 'error')).toMatchObject({ code: 'frame_too_large' });
    s.send({ action: WsAction.ping, id: 'still-open' });
    expect(await s.next((f) => f.type === 'pong')).toMatchObject({ id: 'still-open' });
    s.close();
  });

  it('500 malformed frames leave the connection and the platform serving', async () => {
    const patient = await registerAndSignIn();
    const s = await openSocket(patient.token);
    for (let i = 0; i < 500; i++)
      s.send(i % 2 ? `{"action":"chat.send","text":${i}` : '\u0000\u0001 not json');
    await s.received(500, 30_000);
    expect(s.frames).toHaveLength(500);
    expect(s.frames.every((f) => f.type === 'error')).toBe(true);
    // The limiter runs on the platform's clock: move it on instead of waiting for the bucket to refill.
    await advanceClock((await platformNow()) + 3_000);
    s.send({ action: WsAction.ping, id: 'alive' });
    expect(await s.next((f) => f.type === 'pong')).toMatchObject({ id: 'alive' });
    expect((await call('getMe', { token: patient.token })).status).toBe(200);
    s.close();
  }, 60_000);
});

describe('chat', () => {
  it('counts chat messages against the frame budget: a flood is refused by name and not stored', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    const p = await openSocket(patient.token);
    const ids = Array.from({ length: 2 * RATE_LIMIT.frames + 1 }, (_, i) => `flood-${i}-${randomUUID()}`);
    for (const clientMessageId of ids)
      p.send({ action: WsAction.chatSend, appointmentId: id, clientMessageId, text: 'hello' });
    const refused = await p.next((f) => f.type === 'error' && f.code === 'rate_limited', 30_000);
    expect(ids).toContain(refused.clientMessageId);
    await p.flush();
    const transcript = await call('listMessages', {
      params: { appointmentId: id },
      query: { limit: 100 },
      token: doctor.token,
    });
    const stored = new Set(transcript.json.items.map((m: { clientMessageId: string }) => m.clientMessageId));
    expect(stored.has(refused.clientMessageId)).toBe(false);
    p.close();
  });

  it('a client that drops and reconnects loses no message and gets none twice (count and order)', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    const d1 = await openSocket(doctor.token);
    let p = await openSocket(patient.token);
    const sent: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const text = `message ${i}`;
      sent.push(text);
      await sendChat(i % 2 ? p : d1, id, text);
    }
    // The doctor's connection drops; the patient keeps writing meanwhile.
    d1.socket.terminate();
    for (let i = 11; i <= 15; i++) {
      sent.push(`message ${i}`);
      await sendChat(p, id, `message ${i}`);
    }
    // The patient sends one more and drops before the acknowledgement arrives…
    const unacked = `m-${randomUUID()}`;
    p.send({ action: WsAction.chatSend, appointmentId: id, clientMessageId: unacked, text: 'message 16' });
    p.socket.terminate();
    sent.push('message 16');
    // …reconnects and resends what was not acknowledged, as the web client does.
    p = await openSocket(patient.token);
    await sendChat(p, id, 'message 16', unacked);
    const d2 = await openSocket(doctor.token);

    const transcript: { text: string; senderRole: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('listMessages', {
        params: { appointmentId: id },
        query: { limit: 4, cursor },
        token: doctor.token,
      });
      expect(page.status).toBe(200);
      transcript.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(transcript.map((m) => m.text)).toEqual(sent);
    expect(transcript[0]!.senderRole).toBe('patient');
    const patientView = await call('listMessages', {
      params: { appointmentId: id },
      query: { limit: 200 },
      token: patient.token,
    });
    expect(patientView.json.items.map((m: { text: string }) => m.text)).toEqual(sent);
    p.close();
    d2.close();
  }, 60_000);

  it('after the doctor ends the visit both read the transcript; the visit is completed', async () => {
    const { doctor, patient, id } = await checkedInVisit();
    await admit(doctor.token, id);
    const p = await openSocket(patient.token);
    await sendChat(p, id, 'Thank you, doctor');
    const ended = await call('endVisit', { params: { appointmentId: id }, token: doctor.token });
    expect(ended.json.appointment.status).toBe('completed');
    expect(await p.next((f) => f.type === 'call.ended')).toMatchObject({ appointmentId: id });
    p.send({ action: WsAction.chatSend, appointmentId: id, clientMessageId: 'after-end-1', text: 'late' });
    expect(await p.next((f) => f.type === 'error')).toMatchObject({ code: 'chat_closed' });
    for (const token of [doctor.token, patient.token]) {
      const t = await call('listMessages', { params: { appointmentId: id }, token });
      expect(t.json.items.map((m: { text: string }) => m.text)).toEqual(['Thank you, doctor']);
    }
    expect(
      (
        await call('recordingConsent', {
          params: { appointmentId: id },
          token: patient.token,
          body: { consent: true },
        })
      ).status,
    ).toBe(409);
    p.close();
  });
});
