import { describe, expect, it } from 'vitest';
import { MAX_CANDIDATES_PER_FRAME, type ServerFrame, type SignalData } from '../../../shared/live';
import {
  CANDIDATE_BATCH_MS,
  DISCONNECTED_GRACE_MS,
  initialNegotiation,
  MAX_BUFFERED_CANDIDATES,
  negotiate,
  WATCHDOG_FIRST_MS,
  WATCHDOG_MAX_MS,
  type NegotiationCommand,
  type NegotiationEvent,
  type NegotiationState,
} from './negotiation';

const APPT = 'appt-1';
const SEAT = {
  doctor: { id: 'doc-1', role: 'doctor', displayName: 'Dr Vida Okoye' },
  patient: { id: 'pat-1', role: 'patient', displayName: 'Sam Patel' },
} as const;
const JOINED: ServerFrame = { type: 'call.joined', appointmentId: APPT, you: SEAT.patient, participants: [] };

/** One side of the call: feeds events, keeps the state, collects the commands. */
function peer(role: 'doctor' | 'patient', prefix = role === 'doctor' ? 'D' : 'P') {
  let n = 0;
  let state: NegotiationState = initialNegotiation(role === 'doctor');
  const log: NegotiationCommand[] = [];
  const p = {
    get state() {
      return state;
    },
    log,
    /** Feeds an event; returns the commands it produced. */
    on(event: NegotiationEvent) {
      const t = negotiate(state, event, () => `${prefix}${++n}`);
      state = t.state;
      log.push(...t.commands);
      return t.commands;
    },
    signal(data: SignalData, from: 'doctor' | 'patient' = role === 'doctor' ? 'patient' : 'doctor') {
      return p.on({ type: 'frame', frame: { type: 'signal', appointmentId: APPT, from, data } });
    },
    frame(frame: ServerFrame) {
      return p.on({ type: 'frame', frame });
    },
    /** The socket opens and the server acknowledges the join: this side is in the call. */
    join() {
      return [...p.on({ type: 'socket-open' }), ...p.frame(JOINED)];
    },
  };
  return p;
}

const sent = (commands: NegotiationCommand[]) =>
  commands.flatMap((c) => (c.type === 'send-signal' ? [c.data] : []));
const ofType = <T extends NegotiationCommand['type']>(commands: NegotiationCommand[], type: T) =>
  commands.filter((c): c is Extract<NegotiationCommand, { type: T }> => c.type === type);
const candidate = (n: number) => ({ candidate: `candidate:${n}`, sdpMid: '0', sdpMLineIndex: 0 });

describe('negotiation: joining', () => {
  it('the patient joins, and once in the call builds one connection and asks the doctor to restart', () => {
    const p = peer('patient');
    expect(p.on({ type: 'socket-open' })).toEqual([{ type: 'join-call' }]);
    expect(p.state.callState).toBe('waiting-for-peer');
    expect(p.frame(JOINED)).toEqual([
      { type: 'rebuild', session: 'P1' },
      { type: 'send-signal', data: { kind: 'restart', session: 'P1' } },
    ]);
    // Asked again (the doctor joined, or is new): the same connection is named again, none is built.
    expect(
      p.frame({
        type: 'peer',
        appointmentId: APPT,
        event: 'joined',
        role: 'doctor',
        participant: SEAT.doctor,
      }),
    ).toEqual([{ type: 'send-signal', data: { kind: 'restart', session: 'P1' } }]);
    expect(p.signal({ kind: 'restart', session: '' })).toEqual([
      { type: 'send-signal', data: { kind: 'restart', session: 'P1' } },
    ]);
  });

  it('the doctor answers a restart from a new patient session with a new connection and an offer', () => {
    const d = peer('doctor');
    d.join();
    expect(sent(d.log)).toEqual([{ kind: 'restart', session: '' }]);
    const commands = d.signal({ kind: 'restart', session: 'P1' });
    expect(commands).toEqual([
      { type: 'rebuild', session: 'D1' },
      { type: 'create-offer', session: 'D1', iceRestart: false },
    ]);
    expect(sent(d.on({ type: 'local-offer', session: 'D1', sdp: 'offer-sdp' }))).toEqual([
      { kind: 'offer', sdp: 'offer-sdp', session: 'D1' },
    ]);
    expect(d.signal({ kind: 'answer', sdp: 'answer-sdp', session: 'P1', target: 'D1' })).toEqual([
      { type: 'accept-answer', session: 'D1', sdp: 'answer-sdp', candidates: [] },
    ]);
    expect(d.state.remoteSession).toBe('P1');
  });

  it('the patient answers an offer, naming the offer it answers', () => {
    const p = peer('patient');
    p.join();
    expect(p.signal({ kind: 'offer', sdp: 'o', session: 'D1' })).toEqual([
      { type: 'accept-offer', session: 'P1', sdp: 'o', candidates: [], target: 'D1' },
    ]);
    expect(sent(p.on({ type: 'local-answer', session: 'P1', sdp: 'a', target: 'D1' }))).toEqual([
      { kind: 'answer', sdp: 'a', target: 'D1', session: 'P1' },
    ]);
  });

  it('a socket reopening during a working call keeps the connection', () => {
    const p = peer('patient');
    p.join();
    p.on({ type: 'connection-state', session: 'P1', state: 'connected' });
    expect(p.join()).toEqual([{ type: 'join-call' }]);
    expect(p.state.callState).toBe('connected');
  });
});

describe('negotiation: stale signals from an old session', () => {
  it('the doctor ignores an answer to an older offer, and a second answer to the current one', () => {
    const d = peer('doctor');
    d.signal({ kind: 'restart', session: 'P1' });
    d.on({ type: 'local-offer', session: 'D1', sdp: 'o1' });
    d.signal({ kind: 'restart', session: 'P2' }); // the patient reloaded: new connection D2
    d.on({ type: 'local-offer', session: 'D2', sdp: 'o2' });
    expect(d.signal({ kind: 'answer', sdp: 'late', session: 'P1', target: 'D1' })).toEqual([]);
    expect(
      ofType(d.signal({ kind: 'answer', sdp: 'a2', session: 'P2', target: 'D2' }), 'accept-answer'),
    ).toHaveLength(1);
    expect(d.signal({ kind: 'answer', sdp: 'again', session: 'P2', target: 'D2' })).toEqual([]);
  });

  it('local events of a replaced connection are ignored', () => {
    const d = peer('doctor');
    d.signal({ kind: 'restart', session: 'P1' });
    d.signal({ kind: 'restart', session: 'P2' });
    expect(d.state.session).toBe('D2');
    expect(d.on({ type: 'local-offer', session: 'D1', sdp: 'old' })).toEqual([]);
    expect(d.on({ type: 'local-candidate', session: 'D1', candidate: candidate(1) })).toEqual([]);
    expect(d.on({ type: 'connection-state', session: 'D1', state: 'failed' })).toEqual([]);
    expect(d.state.callState).toBe('connecting');
    // An answer to the replaced connection's offer is not accepted either.
    expect(d.signal({ kind: 'answer', sdp: 'a', session: 'P1', target: 'D1' })).toEqual([]);
  });

  it('candidates from an old remote session never reach the current connection', () => {
    const p = peer('patient');
    p.join();
    p.signal({ kind: 'offer', sdp: 'o', session: 'D2' });
    expect(p.signal({ kind: 'candidate', candidate: candidate(1), session: 'D1' })).toEqual([]);
    expect(p.signal({ kind: 'candidate', candidate: candidate(2), session: 'D2' })).toEqual([
      { type: 'add-candidate', session: 'P1', candidate: candidate(2) },
    ]);
  });
});

describe('negotiation: candidate batching', () => {
  it('local candidates go in one frame per batch window, or at once when gathering is complete', () => {
    const d = peer('doctor');
    d.join();
    d.signal({ kind: 'restart', session: 'P1' });
    expect(d.on({ type: 'local-candidate', session: 'D1', candidate: candidate(1) })).toEqual([
      { type: 'schedule-candidates', delayMs: CANDIDATE_BATCH_MS },
    ]);
    expect(d.on({ type: 'local-candidate', session: 'D1', candidate: candidate(2) })).toEqual([]);
    expect(sent(d.on({ type: 'candidates-due' }))).toEqual([
      { kind: 'candidates', candidates: [candidate(1), candidate(2)], session: 'D1' },
    ]);
    expect(d.on({ type: 'candidates-due' })).toEqual([]);
    const many = Array.from({ length: MAX_CANDIDATES_PER_FRAME + 3 }, (_, i) => candidate(i));
    for (const c of many) d.on({ type: 'local-candidate', session: 'D1', candidate: c });
    const frames = sent(d.on({ type: 'local-candidates-done', session: 'D1' }));
    expect(frames.map((f) => f.candidates?.length)).toEqual([MAX_CANDIDATES_PER_FRAME, 3]);
  });

  it('a batch of remote candidates is applied like single ones, or buffered until its offer', () => {
    const p = peer('patient');
    p.join();
    p.signal({ kind: 'candidates', candidates: [candidate(1), candidate(2)], session: 'D1' });
    expect(p.signal({ kind: 'offer', sdp: 'o', session: 'D1' })).toEqual([
      {
        type: 'accept-offer',
        session: 'P1',
        sdp: 'o',
        candidates: [candidate(1), candidate(2)],
        target: 'D1',
      },
    ]);
    expect(
      ofType(p.signal({ kind: 'candidates', candidates: [candidate(3)], session: 'D1' }), 'add-candidate'),
    ).toEqual([{ type: 'add-candidate', session: 'P1', candidate: candidate(3) }]);
  });

  it('the patient answers the same offer again with the same answer, on the same connection', () => {
    const p = peer('patient');
    p.join();
    p.signal({ kind: 'offer', sdp: 'o', session: 'D1' });
    p.on({ type: 'local-answer', session: 'P1', sdp: 'a', target: 'D1' });
    expect(p.signal({ kind: 'offer', sdp: 'o', session: 'D1' })).toEqual([
      { type: 'send-signal', data: { kind: 'answer', sdp: 'a', target: 'D1', session: 'P1' } },
    ]);
  });
});

describe('negotiation: candidate buffering', () => {
  it('candidates that arrive before their offer are applied with it, others stay out', () => {
    const p = peer('patient');
    p.join();
    expect(p.signal({ kind: 'candidate', candidate: candidate(1), session: 'D1' })).toEqual([]);
    p.signal({ kind: 'candidate', candidate: candidate(9), session: 'D0' });
    p.signal({ kind: 'candidate', candidate: candidate(2), session: 'D1' });
    const [accept] = ofType(p.signal({ kind: 'offer', sdp: 'o', session: 'D1' }), 'accept-offer');
    expect(accept!.candidates).toEqual([candidate(1), candidate(2)]);
    // Once applied they are gone from the buffer: a later offer of the same session gets none twice.
    const [again] = ofType(p.signal({ kind: 'offer', sdp: 'o2', session: 'D1' }), 'accept-offer');
    expect(again!.candidates).toEqual([]);
  });

  it('the doctor applies candidates that raced ahead of the answer', () => {
    const d = peer('doctor');
    d.signal({ kind: 'restart', session: 'P1' });
    d.on({ type: 'local-offer', session: 'D1', sdp: 'o' });
    d.signal({ kind: 'candidate', candidate: candidate(1), session: 'P1' });
    const [accept] = ofType(
      d.signal({ kind: 'answer', sdp: 'a', session: 'P1', target: 'D1' }),
      'accept-answer',
    );
    expect(accept!.candidates).toEqual([candidate(1)]);
  });

  it('the buffer is bounded per session and keeps only the newest sessions', () => {
    const p = peer('patient');
    p.join();
    for (let i = 0; i < MAX_BUFFERED_CANDIDATES + 20; i++)
      p.signal({ kind: 'candidate', candidate: candidate(i), session: 'D1' });
    for (const s of ['D2', 'D3', 'D4']) p.signal({ kind: 'candidate', candidate: candidate(0), session: s });
    const [first] = ofType(p.signal({ kind: 'offer', sdp: 'o', session: 'D1' }), 'accept-offer');
    expect(first!.candidates).toHaveLength(MAX_BUFFERED_CANDIDATES);

    const q = peer('patient');
    q.on({ type: 'socket-open' });
    for (const s of ['D1', 'D2', 'D3', 'D4', 'D5'])
      q.signal({ kind: 'candidate', candidate: candidate(1), session: s });
    expect(
      ofType(q.signal({ kind: 'offer', sdp: 'o', session: 'D1' }), 'accept-offer')[0]!.candidates,
    ).toEqual([]);
  });
});

describe('negotiation: repair', () => {
  it('ICE failure on the doctor’s side → an ICE-restart offer on the same connection', () => {
    const d = peer('doctor');
    d.signal({ kind: 'restart', session: 'P1' });
    d.on({ type: 'connection-state', session: 'D1', state: 'connected' });
    expect(d.state.callState).toBe('connected');
    expect(d.on({ type: 'connection-state', session: 'D1', state: 'failed' })).toEqual([
      { type: 'cancel-repair' },
      { type: 'schedule-repair', delayMs: 0 },
    ]);
    expect(d.state.callState).toBe('reconnecting');
    expect(d.on({ type: 'repair-due' })).toEqual([{ type: 'create-offer', session: 'D1', iceRestart: true }]);
  });

  it('the patient asks the doctor to restart; a restart from the same patient session is an ICE restart', () => {
    const p = peer('patient');
    p.join();
    p.on({ type: 'connection-state', session: 'P1', state: 'failed' });
    expect(sent(p.on({ type: 'repair-due' }))).toEqual([{ kind: 'restart', session: 'P1' }]);

    const d = peer('doctor');
    d.signal({ kind: 'restart', session: 'P1' });
    // Asked again while the offer is being made: nothing; once it is out: the same offer again.
    expect(d.signal({ kind: 'restart', session: 'P1' })).toEqual([]);
    d.on({ type: 'local-offer', session: 'D1', sdp: 'o' });
    expect(sent(d.signal({ kind: 'restart', session: 'P1' }))).toEqual([
      { kind: 'offer', sdp: 'o', session: 'D1' },
    ]);
    d.signal({ kind: 'answer', sdp: 'a', session: 'P1', target: 'D1' });
    // ICE is still working on it: no second negotiation.
    d.on({ type: 'connection-state', session: 'D1', state: 'connecting' });
    expect(d.signal({ kind: 'restart', session: 'P1' })).toEqual([]);
    d.on({ type: 'connection-state', session: 'D1', state: 'failed' });
    expect(ofType(d.signal({ kind: 'restart', session: 'P1' }), 'create-offer')).toEqual([
      { type: 'create-offer', session: 'D1', iceRestart: true },
    ]);
  });

  it('a disconnected connection gets a grace period, and no repair once it recovers', () => {
    const d = peer('doctor');
    d.signal({ kind: 'restart', session: 'P1' });
    expect(
      ofType(d.on({ type: 'connection-state', session: 'D1', state: 'disconnected' }), 'schedule-repair'),
    ).toEqual([{ type: 'schedule-repair', delayMs: DISCONNECTED_GRACE_MS }]);
    expect(d.on({ type: 'connection-state', session: 'D1', state: 'connected' })).toEqual([
      { type: 'cancel-repair' },
    ]);
    expect(d.on({ type: 'repair-due' })).toEqual([]);
  });
});

describe('negotiation: watchdog', () => {
  it('the patient keeps asking while not connected, backing off to a cap, and resets once connected', () => {
    const p = peer('patient');
    expect(p.on({ type: 'start' })).toEqual([{ type: 'schedule-watchdog', delayMs: WATCHDOG_FIRST_MS }]);
    p.join();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const commands = p.on({ type: 'watchdog-due', socketOpen: true });
      expect(sent(commands)).toEqual([{ kind: 'restart', session: 'P1' }]);
      delays.push(ofType(commands, 'schedule-watchdog')[0]!.delayMs);
    }
    expect(delays).toEqual([8000, 16000, WATCHDOG_MAX_MS, WATCHDOG_MAX_MS, WATCHDOG_MAX_MS]);
    // With the socket down there is nobody to ask: keep the pace, send nothing.
    expect(p.on({ type: 'watchdog-due', socketOpen: false })).toEqual([
      { type: 'schedule-watchdog', delayMs: WATCHDOG_MAX_MS },
    ]);
    p.on({ type: 'connection-state', session: 'P1', state: 'connected' });
    expect(p.on({ type: 'watchdog-due', socketOpen: true })).toEqual([
      { type: 'schedule-watchdog', delayMs: WATCHDOG_FIRST_MS },
    ]);
  });

  it('the doctor never sends restarts from the watchdog', () => {
    const d = peer('doctor');
    d.join();
    expect(sent(d.on({ type: 'watchdog-due', socketOpen: true }))).toEqual([]);
  });
});

describe('negotiation: presence and the end', () => {
  it('the doctor joining makes an unconnected patient ask again; a connected one does nothing', () => {
    const p = peer('patient');
    p.join();
    const joined: ServerFrame = {
      type: 'peer',
      appointmentId: APPT,
      event: 'joined',
      role: 'doctor',
      participant: SEAT.doctor,
    };
    expect(p.frame(joined)).toEqual([{ type: 'send-signal', data: { kind: 'restart', session: 'P1' } }]);
    p.on({ type: 'connection-state', session: 'P1', state: 'connected' });
    expect(p.frame(joined)).toEqual([]);
    // The doctor waits for the patient's restart instead.
    const d = peer('doctor');
    expect(d.frame({ ...joined, role: 'patient', participant: SEAT.patient } as ServerFrame)).toEqual([]);
  });

  it('"left" clears the remote video only while the media connection is down', () => {
    const p = peer('patient');
    p.join();
    const left: ServerFrame = {
      type: 'peer',
      appointmentId: APPT,
      event: 'left',
      role: 'doctor',
      participant: SEAT.doctor,
    };
    p.on({ type: 'connection-state', session: 'P1', state: 'connected' });
    expect(p.frame(left)).toEqual([]);
    expect(p.state.callState).toBe('connected');
    p.on({ type: 'connection-state', session: 'P1', state: 'disconnected' });
    expect(p.frame(left)).toEqual([{ type: 'clear-remote-media' }]);
    expect(p.state.callState).toBe('waiting-for-peer');
  });

  it('a deliberate leave closes the connection at once, even a working one; a return builds a new one', () => {
    const d = peer('doctor');
    d.join();
    d.signal({ kind: 'restart', session: 'P1' });
    d.on({ type: 'connection-state', session: 'D1', state: 'connected' });
    for (const reason of ['left', 'closed'] as const) {
      const commands = d.frame({
        type: 'peer',
        appointmentId: APPT,
        event: 'left',
        role: 'patient',
        participant: SEAT.patient,
        reason,
      });
      expect(commands.map((c) => c.type)).toEqual(['cancel-repair', 'close', 'clear-remote-media']);
      expect(d.state).toMatchObject({ callState: 'waiting-for-peer', session: '', connectionState: 'none' });
    }
    // A repair timer still running does nothing now.
    expect(d.on({ type: 'repair-due' })).toEqual([]);
    expect(ofType(d.signal({ kind: 'restart', session: 'P2' }), 'rebuild')).toEqual([
      { type: 'rebuild', session: 'D2' },
    ]);
  });

  it('the call ending closes everything once and ignores whatever comes after', () => {
    const p = peer('patient');
    p.join();
    const commands = p.frame({ type: 'call.ended', appointmentId: APPT });
    expect(commands.map((c) => c.type).sort()).toEqual([
      'cancel-repair',
      'cancel-watchdog',
      'close',
      'leave-call',
    ]);
    expect(p.state.callState).toBe('ended');
    expect(p.on({ type: 'leave' })).toEqual([]);
    expect(p.signal({ kind: 'offer', sdp: 'o', session: 'D1' })).toEqual([]);
    expect(p.on({ type: 'watchdog-due', socketOpen: true })).toEqual([]);
  });
});

/**
 * Both sides wired through a signaling channel that can drop frames, with connections that do what
 * the commands say. The facts checked are the ones that matter: each side's connection carries the
 * other side's current description.
 */
describe('negotiation: two peers', () => {
  function call() {
    const sides = { doctor: peer('doctor'), patient: peer('patient') };
    const pcs = {
      doctor: new Map<string, { remote?: string }>(),
      patient: new Map<string, { remote?: string }>(),
    };
    let dropSignals = false;
    /** The server relays signals only to sockets that are in the call. */
    const inCall = { doctor: false, patient: false };
    const inbox: { to: 'doctor' | 'patient'; event: NegotiationEvent }[] = [];
    const frame = (f: ServerFrame): NegotiationEvent => ({ type: 'frame', frame: f });
    const run = (who: 'doctor' | 'patient', commands: NegotiationCommand[]) => {
      const other = who === 'doctor' ? 'patient' : 'doctor';
      for (const c of commands) {
        if (c.type === 'join-call') {
          inCall[who] = true;
          if (inCall[other])
            inbox.push({
              to: other,
              event: frame({
                type: 'peer',
                appointmentId: APPT,
                event: 'joined',
                role: who,
                participant: SEAT[who],
              }),
            });
          inbox.push({ to: who, event: frame(JOINED) });
        }
        if (c.type === 'rebuild') pcs[who].set(c.session, {});
        if (c.type === 'create-offer')
          inbox.push({
            to: who,
            event: { type: 'local-offer', session: c.session, sdp: `offer-of-${c.session}` },
          });
        if (c.type === 'accept-offer') {
          pcs[who].get(c.session)!.remote = c.sdp;
          inbox.push({
            to: who,
            event: {
              type: 'local-answer',
              session: c.session,
              sdp: `answer-of-${c.session}`,
              target: c.target,
            },
          });
        }
        if (c.type === 'accept-answer') pcs[who].get(c.session)!.remote = c.sdp;
        if (c.type === 'send-signal' && !dropSignals && inCall[other])
          inbox.push({
            to: other,
            event: { type: 'frame', frame: { type: 'signal', appointmentId: APPT, from: who, data: c.data } },
          });
      }
    };
    const deliverAll = () => {
      for (let guard = 0; inbox.length && guard < 100; guard++) {
        const { to, event } = inbox.shift()!;
        run(to, sides[to].on(event));
      }
      expect(inbox).toEqual([]);
    };
    const on = (who: 'doctor' | 'patient', event: NegotiationEvent) => run(who, sides[who].on(event));
    const negotiated = () => {
      const d = sides.doctor.state;
      const p = sides.patient.state;
      return (
        pcs.doctor.get(d.session)?.remote === `answer-of-${p.session}` &&
        pcs.patient.get(p.session)?.remote === `offer-of-${d.session}`
      );
    };
    return {
      sides,
      on,
      deliverAll,
      negotiated,
      setDrop: (v: boolean) => (dropSignals = v),
      reloadPatient() {
        sides.patient = peer('patient', 'Q');
        inCall.patient = false;
      },
      connections: (who: 'doctor' | 'patient') => pcs[who].size,
    };
  }

  it('negotiate whoever joins first, with one connection per side', () => {
    for (const first of ['doctor', 'patient'] as const) {
      const c = call();
      c.on(first, { type: 'socket-open' });
      c.deliverAll();
      c.on(first === 'doctor' ? 'patient' : 'doctor', { type: 'socket-open' });
      c.deliverAll();
      expect(c.negotiated()).toBe(true);
      expect([c.connections('doctor'), c.connections('patient')]).toEqual([1, 1]);
    }
  });

  it('one connection per side when both join at the same moment', () => {
    const c = call();
    c.on('doctor', { type: 'socket-open' });
    c.on('patient', { type: 'socket-open' });
    c.deliverAll();
    expect(c.negotiated()).toBe(true);
    expect([c.connections('doctor'), c.connections('patient')]).toEqual([1, 1]);
  });

  it('renegotiate with a new connection after the patient reloads', () => {
    const c = call();
    c.on('doctor', { type: 'socket-open' });
    c.on('patient', { type: 'socket-open' });
    c.deliverAll();
    const before = c.sides.doctor.state.session;
    c.reloadPatient();
    c.on('patient', { type: 'socket-open' });
    c.deliverAll();
    expect(c.negotiated()).toBe(true);
    expect(c.sides.doctor.state.session).not.toBe(before);
  });

  it('recover through the watchdog when the first signals are lost', () => {
    const c = call();
    c.on('doctor', { type: 'socket-open' });
    c.setDrop(true);
    c.on('patient', { type: 'socket-open' });
    c.deliverAll();
    expect(c.negotiated()).toBe(false);
    c.setDrop(false);
    c.on('patient', { type: 'watchdog-due', socketOpen: true });
    c.deliverAll();
    expect(c.negotiated()).toBe(true);
  });
});
