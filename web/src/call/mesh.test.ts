import { describe, expect, it } from 'vitest';
import type { CallParticipant, ServerFrame } from '../../../shared/live';
import {
  initialMesh,
  mesh,
  meshCallState,
  offersTo,
  type MeshCommand,
  type MeshEvent,
  type MeshState,
} from './mesh';

const APPT = 'appt-1';
const SEATS = {
  doctor: { id: 'doc-1', role: 'doctor', displayName: 'Dr Vida Okoye' },
  patient: { id: 'pat-1', role: 'patient', displayName: 'Sam Patel' },
  guest: { id: 'guest_1', role: 'guest', displayName: 'Ana' },
} as const satisfies Record<string, CallParticipant>;
type Who = keyof typeof SEATS;
const WHO = Object.keys(SEATS) as Who[];
const whoIs = (id: string) => WHO.find((w) => SEATS[w].id === id)!;

describe('mesh: who offers', () => {
  it('the doctor offers to everyone, the patient to a guest, and between two guests the smaller id', () => {
    expect(offersTo(SEATS.doctor, SEATS.patient)).toBe(true);
    expect(offersTo(SEATS.doctor, SEATS.guest)).toBe(true);
    expect(offersTo(SEATS.patient, SEATS.guest)).toBe(true);
    expect(offersTo(SEATS.patient, SEATS.doctor)).toBe(false);
    expect(offersTo(SEATS.guest, SEATS.doctor)).toBe(false);
    const other = { ...SEATS.guest, id: 'guest_2' };
    expect(offersTo(SEATS.guest, other)).toBe(true);
    expect(offersTo(other, SEATS.guest)).toBe(false);
  });
});

/**
 * Three browsers and a relay that behaves as the server does: `call.join` tells the others and
 * acknowledges with who is here; a signal reaches only the participant it is addressed to, and only
 * while they are in the call; `call.leave` tells the others why. Connections do what the commands
 * say, so each side's connection with each other side can be checked to hold that side's current
 * description.
 */
function room() {
  const sides = Object.fromEntries(WHO.map((w) => [w, initialMesh()])) as Record<Who, MeshState>;
  const inCall = new Set<Who>();
  /** Per side, per remote participant: the connection sessions built and what each holds. */
  const pcs = Object.fromEntries(
    WHO.map((w) => [w, new Map<string, { peer: string; remote?: string }>()]),
  ) as Record<Who, Map<string, { peer: string; remote?: string }>>;
  const log = Object.fromEntries(WHO.map((w) => [w, [] as MeshCommand[]])) as Record<Who, MeshCommand[]>;
  const inbox: { to: Who; event: MeshEvent }[] = [];
  let n = 0;
  const frame = (to: Who, f: ServerFrame) => inbox.push({ to, event: { type: 'frame', frame: f } });

  const run = (who: Who, commands: MeshCommand[]) => {
    log[who].push(...commands);
    const me = SEATS[who];
    for (const c of commands) {
      if (c.type === 'join-call') {
        inCall.add(who);
        const others = WHO.filter((w) => w !== who && inCall.has(w));
        for (const o of others)
          frame(o, { type: 'peer', appointmentId: APPT, event: 'joined', role: me.role, participant: me });
        frame(who, {
          type: 'call.joined',
          appointmentId: APPT,
          you: me,
          participants: others.map((o) => SEATS[o]),
        });
      }
      if (c.type === 'leave-call') {
        inCall.delete(who);
        for (const o of inCall)
          frame(o, {
            type: 'peer',
            appointmentId: APPT,
            event: 'left',
            role: me.role,
            participant: me,
            reason: c.reason ?? 'left',
          });
      }
      if (c.type === 'send-signal' && inCall.has(whoIs(c.to)))
        frame(whoIs(c.to), { type: 'signal', appointmentId: APPT, from: me.id, data: c.data });
      if (c.type !== 'peer') continue;
      const step = c.command;
      const peerEvent = (event: MeshEvent & { type: 'peer-event' }) => inbox.push({ to: who, event });
      if (step.type === 'rebuild') pcs[who].set(step.session, { peer: c.peer });
      if (step.type === 'create-offer')
        peerEvent({
          type: 'peer-event',
          peer: c.peer,
          event: { type: 'local-offer', session: step.session, sdp: `offer-of-${step.session}` },
        });
      if (step.type === 'accept-offer') {
        pcs[who].get(step.session)!.remote = step.sdp;
        peerEvent({
          type: 'peer-event',
          peer: c.peer,
          event: {
            type: 'local-answer',
            session: step.session,
            sdp: `answer-of-${step.session}`,
            target: step.target,
          },
        });
      }
      if (step.type === 'accept-answer') pcs[who].get(step.session)!.remote = step.sdp;
    }
  };
  const on = (who: Who, event: MeshEvent) => {
    const t = mesh(sides[who], event, () => `${who}-${++n}`);
    sides[who] = t.state;
    run(who, t.commands);
  };
  const deliverAll = () => {
    for (let guard = 0; inbox.length && guard < 500; guard++) {
      const { to, event } = inbox.shift()!;
      on(to, event);
    }
    expect(inbox).toEqual([]);
  };
  const peerOf = (who: Who, other: Who) =>
    sides[who].peers.find((p) => p.participant.id === SEATS[other].id)?.negotiation;
  /** Both connections of the pair hold each other's current description. */
  const negotiated = (a: Who, b: Who) => {
    const na = peerOf(a, b);
    const nb = peerOf(b, a);
    if (!na?.session || !nb?.session) return false;
    const [offerer, answerer, so, sa] = na.impolite
      ? [a, b, na.session, nb.session]
      : [b, a, nb.session, na.session];
    return (
      pcs[offerer].get(so)?.remote === `answer-of-${sa}` && pcs[answerer].get(sa)?.remote === `offer-of-${so}`
    );
  };
  const connect = (a: Who, b: Who) => {
    on(a, {
      type: 'peer-event',
      peer: SEATS[b].id,
      event: { type: 'connection-state', session: peerOf(a, b)!.session, state: 'connected' },
    });
    on(b, {
      type: 'peer-event',
      peer: SEATS[a].id,
      event: { type: 'connection-state', session: peerOf(b, a)!.session, state: 'connected' },
    });
  };
  /** How many connections `who` built for `other`. */
  const built = (who: Who, other: Who) =>
    [...pcs[who].values()].filter((p) => p.peer === SEATS[other].id).length;
  return { sides, on, deliverAll, negotiated, connect, built, log, peerOf };
}

const permutations = <T>(list: T[]): T[][] =>
  list.length <= 1
    ? [list]
    : list.flatMap((x, i) =>
        permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [x, ...rest]),
      );

describe('mesh: three participants', () => {
  it('whatever order they join in, every pair negotiates with one connection per side, offered by its offerer only', () => {
    for (const order of permutations([...WHO])) {
      const r = room();
      for (const who of order) {
        r.on(who, { type: 'socket-open' });
        r.deliverAll();
      }
      for (const [a, b] of [
        ['doctor', 'patient'],
        ['doctor', 'guest'],
        ['patient', 'guest'],
      ] as const) {
        expect(r.negotiated(a, b), `${order.join(' → ')}: ${a} ↔ ${b}`).toBe(true);
        expect([r.built(a, b), r.built(b, a)]).toEqual([1, 1]);
      }
      // No glare: offers are made only by the side that offers in its pair.
      for (const who of WHO)
        for (const c of r.log[who])
          if (c.type === 'peer' && c.command.type === 'create-offer')
            expect(offersTo(SEATS[who], SEATS[whoIs(c.peer)])).toBe(true);
    }
  });

  it('every signal is addressed to one participant, and signals from strangers are ignored', () => {
    const r = room();
    for (const who of WHO) r.on(who, { type: 'socket-open' });
    r.deliverAll();
    const ids = new Set<string>(WHO.map((w) => SEATS[w].id));
    for (const who of WHO)
      for (const c of r.log[who])
        if (c.type === 'send-signal') expect(ids.has(c.to) && c.to !== SEATS[who].id).toBe(true);
    const before = r.sides.doctor;
    r.on('doctor', {
      type: 'frame',
      frame: { type: 'signal', appointmentId: APPT, from: 'eve', data: { kind: 'restart', session: 'E1' } },
    });
    expect(r.sides.doctor.peers).toEqual(before.peers);
  });

  it('the guest leaving closes only the guest’s connections; doctor and patient stay connected', () => {
    const r = room();
    for (const who of WHO) r.on(who, { type: 'socket-open' });
    r.deliverAll();
    r.connect('doctor', 'patient');
    r.connect('doctor', 'guest');
    r.connect('patient', 'guest');
    expect(WHO.map((w) => meshCallState(r.sides[w]))).toEqual(['connected', 'connected', 'connected']);
    const mark = { doctor: r.log.doctor.length, patient: r.log.patient.length };

    r.on('guest', { type: 'leave', reason: 'left' });
    r.deliverAll();
    expect(meshCallState(r.sides.guest)).toBe('ended');
    expect(r.log.guest.filter((c) => c.type === 'leave-call')).toEqual([
      { type: 'leave-call', reason: 'left' },
    ]);
    for (const who of ['doctor', 'patient'] as const) {
      const after = r.log[who].slice(mark[who]);
      expect(after.filter((c) => c.type === 'remove-peer')).toEqual([
        { type: 'remove-peer', peer: SEATS.guest.id },
      ]);
      // Whatever was closed was the guest's connection, nothing of the other pair.
      for (const c of after) if (c.type === 'peer') expect(c.peer).toBe(SEATS.guest.id);
      expect(r.sides[who].peers.map((p) => p.participant.id)).toEqual([
        SEATS[who === 'doctor' ? 'patient' : 'doctor'].id,
      ]);
      expect(meshCallState(r.sides[who])).toBe('connected');
    }
    expect(r.negotiated('doctor', 'patient')).toBe(true);

    // Coming back is a new peer, negotiated afresh with both.
    r.on('guest', { type: 'socket-open' });
    r.deliverAll();
    expect(r.log.guest.filter((c) => c.type === 'join-call')).toHaveLength(1);
  });

  it('a guest returning on a new page negotiates afresh with both others', () => {
    const r = room();
    for (const who of WHO) r.on(who, { type: 'socket-open' });
    r.deliverAll();
    r.on('guest', { type: 'leave', reason: 'closed' });
    r.deliverAll();
    r.sides.guest = initialMesh();
    r.on('guest', { type: 'socket-open' });
    r.deliverAll();
    expect(r.negotiated('doctor', 'guest')).toBe(true);
    expect(r.negotiated('patient', 'guest')).toBe(true);
    expect(r.negotiated('doctor', 'patient')).toBe(true);
    expect([r.built('doctor', 'guest'), r.built('patient', 'guest')]).toEqual([2, 2]);
    expect(r.built('doctor', 'patient')).toBe(1);
  });

  it('a peer whose socket only dropped stays; the call ending leaves once for the whole page', () => {
    const r = room();
    for (const who of WHO) r.on(who, { type: 'socket-open' });
    r.deliverAll();
    r.connect('doctor', 'guest');
    r.on('doctor', {
      type: 'frame',
      frame: {
        type: 'peer',
        appointmentId: APPT,
        event: 'left',
        role: 'guest',
        participant: SEATS.guest,
        reason: 'disconnected',
      },
    });
    expect(r.sides.doctor.peers.map((p) => p.participant.id)).toContain(SEATS.guest.id);
    const mark = r.log.doctor.length;
    r.on('doctor', { type: 'frame', frame: { type: 'call.ended', appointmentId: APPT } });
    const after = r.log.doctor.slice(mark);
    expect(after.filter((c) => c.type === 'leave-call')).toEqual([{ type: 'leave-call' }]);
    expect(
      after
        .filter((c) => c.type === 'peer' && c.command.type === 'close')
        .map((c) => (c as { peer: string }).peer)
        .sort(),
    ).toEqual([SEATS.guest.id, SEATS.patient.id].sort());
    expect(meshCallState(r.sides.doctor)).toBe('ended');
    r.on('doctor', { type: 'socket-open' });
    expect(r.log.doctor.slice(mark + after.length)).toEqual([]);
  });

  it('a peer who joins while our own join is on its way is not lost (their "joined" overtakes our acknowledgement)', () => {
    const doctor = (state: MeshState, event: MeshEvent) => mesh(state, event, () => 'session');
    let t = doctor(initialMesh(), { type: 'socket-open' });
    expect(t.commands).toContainEqual({ type: 'join-call' });
    // The patient registered after the server read our list, and their "joined" arrives first.
    const patientJoined: ServerFrame = {
      type: 'peer',
      appointmentId: APPT,
      event: 'joined',
      role: 'patient',
      participant: SEATS.patient,
    };
    t = doctor(t.state, { type: 'frame', frame: patientJoined });
    expect(t.state.peers).toEqual([]);
    t = doctor(t.state, {
      type: 'frame',
      frame: { type: 'call.joined', appointmentId: APPT, you: SEATS.doctor, participants: [] },
    });
    expect(t.state.peers.map((p) => p.participant.id)).toEqual([SEATS.patient.id]);
    expect(t.commands).toContainEqual({ type: 'add-peer', participant: SEATS.patient });
    // The doctor offers to the patient: the negotiation builds its connection.
    expect(t.commands.some((c) => c.type === 'peer' && c.peer === SEATS.patient.id)).toBe(true);
    // Listed in our acknowledgement as well: one peer, not two.
    const again = doctor(
      doctor(doctor(initialMesh(), { type: 'socket-open' }).state, { type: 'frame', frame: patientJoined })
        .state,
      {
        type: 'frame',
        frame: { type: 'call.joined', appointmentId: APPT, you: SEATS.doctor, participants: [SEATS.patient] },
      },
    );
    expect(again.commands.filter((c) => c.type === 'add-peer')).toHaveLength(1);
  });
});
