/**
 * The live-consultation relay, presence and chat logic wired to the real API Gateway management
 * adapter, with the management API mocked (aws-sdk-client-mock) — including the GoneException path.
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/appointments';
import type { ChatMessage } from '../../shared/live';
import { apiGatewayRealtime, managementApi } from './realtime';
import { Forbidden } from '../core/errors';
import { knownError } from '../lib/errors';
import {
  admitPatient,
  checkIn,
  chatTranscript,
  connectionClosed,
  endVisit,
  joinCall,
  joinCallChannel,
  leaveCallChannel,
  relayMediaState,
  relaySignal,
  sendChat,
  setRecordingConsent,
  type LiveDeps,
} from '../core/live';
import {
  RecordingUnavailable,
  VideoProviderError,
  type ConnectionRecord,
  type ConsentRecord,
  type VideoProvider,
} from '../core/ports';
import { inMemoryDeps } from '../core/testing/in-memory';
import { claimsOf } from '../core/appointments';

/** What the caller sees on the wire when core refuses: the status and code `lib` maps the error to. */
const refusal = (pending: Promise<unknown>) =>
  pending.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => knownError(err),
  );

const management = mockClient(ApiGatewayManagementApiClient);
const doctor = { userId: 'doc', role: 'doctor' as const };
const patient = { userId: 'pat', role: 'patient' as const };
const outsider = { userId: 'eve', role: 'patient' as const };
/** A visit-pass guest: its identity holds for appt-1 only. */
const guest = { userId: 'guest_1', role: 'guest' as const, appointmentId: 'appt-1' };
const SEATS = {
  doctor: { id: 'doc', role: 'doctor', displayName: 'Dr D' },
  patient: { id: 'pat', role: 'patient', displayName: 'P' },
  guest: { id: 'guest_1', role: 'guest', displayName: 'Ana' },
} as const;

const now = { value: new Date('2026-03-02T09:50:00Z') };
let deps: LiveDeps;
let connections: Map<string, ConnectionRecord>;
let removed: string[];
let consents: ConsentRecord[];
let videoCalls: string[];
/** The visit's guest as guest seats store it, or undefined (none, or not admitted yet: see `admitted`). */
let admittedGuests: { guestId: string; displayName: string }[];
let mem: ReturnType<typeof inMemoryDeps>;

/** Frames posted through the (mocked) management API, by connection id. */
function posted(): { connectionId: string; frame: any }[] {
  return management.commandCalls(PostToConnectionCommand).map((c) => ({
    connectionId: c.args[0].input.ConnectionId!,
    frame: JSON.parse(String(c.args[0].input.Data)),
  }));
}

const connect = (
  connectionId: string,
  who: { userId: string; role: 'doctor' | 'patient' | 'guest' },
  call?: string,
) =>
  connections.set(connectionId, {
    connectionId,
    userId: who.userId,
    // A guest's connection record is the visit-pass work's; here only its user id matters.
    role: who.role === 'guest' ? 'patient' : who.role,
    connectedAt: '',
    expiresAt: 9e9,
    ...(call ? { callAppointmentId: call } : {}),
  });

const appointment: Appointment = {
  appointmentId: 'appt-1',
  doctorId: 'doc',
  patientId: 'pat',
  doctorName: 'Dr D',
  patientName: 'P',
  start: '2026-03-02T10:00:00.000Z',
  end: '2026-03-02T10:20:00.000Z',
  status: 'booked',
  version: 1,
  reason: 'r',
  createdAt: '',
  updatedAt: '',
};

beforeEach(async () => {
  management.reset();
  management.on(PostToConnectionCommand).resolves({});
  now.value = new Date('2026-03-02T09:50:00Z');
  mem = inMemoryDeps(now);
  connections = new Map();
  removed = [];
  consents = [];
  videoCalls = [];
  admittedGuests = [];
  const chat = new Map<string, ChatMessage>();
  const video: VideoProvider = {
    kind: 'p2p',
    recordingAvailable: false,
    join: async (_a, p, expiresAt) => {
      videoCalls.push(`join:${p.userId}:${p.role}`);
      return { provider: 'p2p', iceServers: [], expiresAt: expiresAt.toISOString() };
    },
    end: async (a) => void videoCalls.push(`end:${a.appointmentId}`),
    setRecording: async () => {
      throw new Error('no recording');
    },
  };
  deps = {
    ...mem.deps,
    realtime: apiGatewayRealtime({
      listForUser: async (userId) => [...connections.values()].filter((c) => c.userId === userId),
      remove: async (id) => {
        removed.push(id);
        connections.delete(id);
      },
      api: managementApi({
        endpoint: 'https://example.execute-api.us-east-1.amazonaws.com/prod',
        region: 'us-east-1',
      }),
    }),
    connections: {
      get: async (id) => connections.get(id),
      setCall: async (id, appointmentId) => {
        const c = connections.get(id);
        if (c) connections.set(id, { ...c, callAppointmentId: appointmentId });
      },
      listForUser: async (userId) => [...connections.values()].filter((c) => c.userId === userId),
      remove: async (id) => void connections.delete(id),
    },
    consents: {
      record: async (c) => void consents.push(c),
      list: async (id, kind) => consents.filter((c) => c.appointmentId === id && c.kind === kind),
    },
    chat: {
      append: async (m) => {
        const key = `${m.appointmentId}/${m.clientMessageId}`;
        if (chat.has(key)) return { message: chat.get(key)!, duplicate: true };
        chat.set(key, m);
        return { message: m, duplicate: false };
      },
      list: async (id) => ({ items: [...chat.values()].filter((m) => m.appointmentId === id) }),
    },
    video,
    guests: {
      ...mem.deps.guests,
      get: async (id) => {
        const g = id === 'appt-1' ? admittedGuests[0] : undefined;
        return (
          g && {
            appointmentId: id,
            guestId: g.guestId,
            name: g.displayName,
            relation: 'interpreter',
            invitedAt: '2026-03-02T09:00:00.000Z',
            invitedBy: 'patient',
            phone: '+15555550100',
            invitation: 1,
            admittedAt: '2026-03-02T09:55:00.000Z',
          }
        );
      },
    },
  };
  await deps.appointments.create({ ...appointment }, claimsOf(appointment));
});

const deviceCheck = { camera: true, microphone: true, speaker: true, browserSupported: true };

async function inCall() {
  await checkIn(patient, 'appt-1', { consentVersion: '2026-11-01', deviceCheck }, deps);
  await admitPatient(doctor, 'appt-1', '2026-11-01', deps);
  management.reset();
  management.on(PostToConnectionCommand).resolves({});
}

describe('waiting room', () => {
  it('opens 15 minutes before the start and says when it opens before that', async () => {
    now.value = new Date('2026-03-02T09:40:00Z');
    const early = await checkIn(patient, 'appt-1', { consentVersion: '2026-11-01', deviceCheck }, deps).catch(
      (e) => e,
    );
    expect(early).toBeInstanceOf(Forbidden);
    expect(knownError(early)).toMatchObject({ status: 403, code: 'room_not_open' });
    // The app puts the time into the viewer's words; the server never sends UTC or ISO times.
    expect(early.message).toBe('The waiting room opens 15 minutes before the appointment.');
    now.value = new Date('2026-03-02T09:46:00Z');
    const checkedIn = await checkIn(
      patient,
      'appt-1',
      { consentVersion: '2026-11-01', deviceCheck: { ...deviceCheck, speaker: false } },
      deps,
    );
    expect(checkedIn).toMatchObject({ status: 'checked_in', deviceCheckPassed: false });
    expect(consents).toEqual([
      expect.objectContaining({
        userId: 'pat',
        kind: 'telehealth',
        version: '2026-11-01',
        at: '2026-03-02T09:46:00.000Z',
      }),
    ]);
  });

  it('pushes the check-in to the doctor’s open dashboard and the admission to the patient', async () => {
    connect('doc-dash', doctor);
    connect('pat-wait', patient);
    await checkIn(patient, 'appt-1', { consentVersion: '2026-11-01', deviceCheck }, deps);
    expect(posted()).toContainEqual({
      connectionId: 'doc-dash',
      frame: expect.objectContaining({ type: 'appointment', event: 'checked_in' }),
    });
    await admitPatient(doctor, 'appt-1', '2026-11-01', deps);
    expect(posted()).toContainEqual({
      connectionId: 'pat-wait',
      frame: expect.objectContaining({ type: 'appointment', event: 'admitted' }),
    });
  });

  it('only the appointment’s own people can join its call, and only once admitted', async () => {
    await expect(refusal(joinCall(outsider, 'appt-1', deps))).resolves.toMatchObject({
      status: 403,
      code: 'not_participant',
    });
    await expect(refusal(joinCall(patient, 'appt-1', deps))).resolves.toMatchObject({
      status: 403,
      code: 'not_admitted',
    });
    await inCall();
    await expect(joinCall(patient, 'appt-1', deps)).resolves.toMatchObject({ provider: 'p2p' });
    await expect(joinCall(doctor, 'appt-1', deps)).resolves.toMatchObject({ provider: 'p2p' });
    expect(videoCalls).toEqual(['join:pat:patient', 'join:doc:doctor']);
  });

  it('a guest joins the call of its own appointment once admitted, as a guest', async () => {
    await inCall();
    await expect(refusal(joinCall(guest, 'appt-1', deps))).resolves.toMatchObject({
      status: 403,
      code: 'not_participant',
    });
    admittedGuests = [{ guestId: 'guest_1', displayName: 'Ana' }];
    await expect(joinCall(guest, 'appt-1', deps)).resolves.toMatchObject({ provider: 'p2p' });
    expect(videoCalls).toEqual(['join:guest_1:guest']);
    await expect(
      refusal(joinCall({ ...guest, appointmentId: 'appt-2' }, 'appt-1', deps)),
    ).resolves.toMatchObject({ status: 403, code: 'not_participant' });
  });
});

describe('signaling relay and presence', () => {
  it('relays signals to the other participant’s call connections only', async () => {
    await inCall();
    connect('pat-call', patient, 'appt-1');
    connect('pat-dashboard', patient);
    connect('doc-call', doctor, 'appt-1');
    connect('eve', outsider, 'appt-1');
    await relaySignal(doctor, 'appt-1', 'pat', { kind: 'offer', sdp: 'v=0' }, deps);
    expect(posted()).toEqual([
      {
        connectionId: 'pat-call',
        frame: {
          type: 'signal',
          appointmentId: 'appt-1',
          from: 'doc',
          data: { kind: 'offer', sdp: 'v=0' },
        },
      },
    ]);
  });

  it('with a guest admitted, each signal reaches only the participant it is addressed to', async () => {
    await inCall();
    admittedGuests = [{ guestId: 'guest_1', displayName: 'Ana' }];
    connect('pat-call', patient, 'appt-1');
    connect('doc-call', doctor, 'appt-1');
    connect('guest-call', guest, 'appt-1');
    await relaySignal(doctor, 'appt-1', 'guest_1', { kind: 'offer', sdp: 'v=0' }, deps);
    await relaySignal(guest, 'appt-1', 'pat', { kind: 'restart', session: 'G1' }, deps);
    await relaySignal(patient, 'appt-1', 'guest_1', { kind: 'answer', sdp: 'v=1' }, deps);
    expect(posted().map((p) => [p.connectionId, p.frame.from, p.frame.data.kind])).toEqual([
      ['guest-call', 'doc', 'offer'],
      ['pat-call', 'guest_1', 'restart'],
      ['guest-call', 'pat', 'answer'],
    ]);
  });

  it('refuses signals to anyone outside the call, to oneself, and from a guest not (or no longer) admitted', async () => {
    await inCall();
    connect('eve-call', outsider, 'appt-1');
    connect('guest-call', guest, 'appt-1');
    connect('doc-call', doctor, 'appt-1');
    for (const to of ['eve', 'doc', 'guest_1'])
      await expect(
        refusal(relaySignal(doctor, 'appt-1', to, { kind: 'offer' }, deps)),
      ).resolves.toMatchObject({
        status: 403,
        code: 'not_participant',
      });
    await expect(
      refusal(relaySignal(guest, 'appt-1', 'doc', { kind: 'offer' }, deps)),
    ).resolves.toMatchObject({
      status: 403,
      code: 'not_participant',
    });
    admittedGuests = [{ guestId: 'guest_1', displayName: 'Ana' }];
    // A guest's pass holds for its own appointment only.
    await expect(
      refusal(relaySignal({ ...guest, appointmentId: 'appt-2' }, 'appt-1', 'doc', { kind: 'offer' }, deps)),
    ).resolves.toMatchObject({ status: 403, code: 'not_participant' });
    expect(posted()).toEqual([]);
  });

  it('a joining guest is announced to everyone else and told who is already in the call', async () => {
    await inCall();
    admittedGuests = [{ guestId: 'guest_1', displayName: 'Ana' }];
    connect('doc-call', doctor, 'appt-1');
    connect('pat-dash', patient);
    connect('guest-call', guest);
    await joinCallChannel(guest, 'guest-call', 'appt-1', deps);
    expect(posted()).toEqual([
      {
        connectionId: 'doc-call',
        frame: {
          type: 'peer',
          appointmentId: 'appt-1',
          event: 'joined',
          role: 'guest',
          participant: SEATS.guest,
        },
      },
      {
        connectionId: 'guest-call',
        frame: {
          type: 'call.joined',
          appointmentId: 'appt-1',
          you: SEATS.guest,
          participants: [SEATS.doctor],
        },
      },
    ]);
    management.reset();
    management.on(PostToConnectionCommand).resolves({});
    connect('pat-call', patient, 'appt-1');
    await relayMediaState(guest, 'appt-1', { audio: false, video: true, screen: false }, deps);
    await leaveCallChannel(guest, 'guest-call', 'appt-1', deps, 'left');
    expect(posted().map((p) => [p.connectionId, p.frame.type, p.frame.from ?? p.frame.reason])).toEqual([
      ['doc-call', 'media', 'guest_1'],
      ['pat-call', 'media', 'guest_1'],
      ['doc-call', 'peer', 'left'],
      ['pat-call', 'peer', 'left'],
    ]);
  });

  it('refuses outsiders and visits that are not in progress', async () => {
    await expect(
      refusal(relaySignal(outsider, 'appt-1', 'doc', { kind: 'offer' }, deps)),
    ).resolves.toMatchObject({
      status: 403,
      code: 'not_participant',
    });
    await expect(relaySignal(doctor, 'appt-1', 'pat', { kind: 'offer' }, deps)).rejects.toMatchObject({
      code: 'not_in_call',
    });
    expect(posted()).toEqual([]);
  });

  it('does not tell the peer someone left while they are still in the call on another socket', async () => {
    await inCall();
    connect('doc-call', doctor, 'appt-1');
    connect('pat-old', patient, 'appt-1');
    connect('pat-new', patient, 'appt-1');
    await connectionClosed('pat-old', deps);
    expect(posted()).toEqual([]);
    await connectionClosed('pat-new', deps);
    expect(posted()).toEqual([
      {
        connectionId: 'doc-call',
        frame: {
          type: 'peer',
          appointmentId: 'appt-1',
          event: 'left',
          role: 'patient',
          participant: SEATS.patient,
          reason: 'disconnected',
        },
      },
    ]);
  });

  it('tells the peer when someone joins or drops, and forgets connections that are gone', async () => {
    await inCall();
    connect('doc-call', doctor, 'appt-1');
    connect('pat-call', patient);
    await joinCallChannel(patient, 'pat-call', 'appt-1', deps);
    expect(connections.get('pat-call')?.callAppointmentId).toBe('appt-1');
    // The joiner's acknowledgement comes last, so once it arrives the peer has been told.
    expect(posted()).toEqual([
      {
        connectionId: 'doc-call',
        frame: {
          type: 'peer',
          appointmentId: 'appt-1',
          event: 'joined',
          role: 'patient',
          participant: SEATS.patient,
        },
      },
      {
        connectionId: 'pat-call',
        frame: {
          type: 'call.joined',
          appointmentId: 'appt-1',
          you: SEATS.patient,
          participants: [SEATS.doctor],
        },
      },
    ]);

    management.reset();
    management.on(PostToConnectionCommand).rejects(new GoneException({ message: 'gone', $metadata: {} }));
    await connectionClosed('pat-call', deps);
    expect(connections.has('pat-call')).toBe(false);
    // The doctor's connection answered Gone: it is removed rather than failing the disconnect.
    expect(removed).toEqual(['doc-call']);
  });
});

describe('chat', () => {
  beforeEach(async () => {
    now.value = new Date('2026-03-02T09:50:00Z');
    await checkIn(patient, 'appt-1', { consentVersion: '2026-11-01', deviceCheck }, deps);
    management.reset();
    management.on(PostToConnectionCommand).resolves({});
    connect('pat-1', patient);
    connect('doc-1', doctor);
  });

  it('acknowledges to the sender and delivers to the other participant, once per client id', async () => {
    await sendChat(
      patient,
      'pat-1',
      { appointmentId: 'appt-1', clientMessageId: 'client-0001', text: 'Hello doctor' },
      deps,
    );
    const first = posted();
    expect(first).toContainEqual({
      connectionId: 'pat-1',
      frame: expect.objectContaining({ type: 'chat.ack', clientMessageId: 'client-0001' }),
    });
    expect(first).toContainEqual({
      connectionId: 'doc-1',
      frame: expect.objectContaining({
        type: 'chat.message',
        message: expect.objectContaining({ text: 'Hello doctor', senderRole: 'patient' }),
      }),
    });

    management.reset();
    management.on(PostToConnectionCommand).resolves({});
    await sendChat(
      patient,
      'pat-1',
      { appointmentId: 'appt-1', clientMessageId: 'client-0001', text: 'Hello doctor' },
      deps,
    );
    expect(posted().map((p) => [p.connectionId, p.frame.type])).toEqual([['pat-1', 'chat.ack']]);
    expect((await chatTranscript(patient, 'appt-1', undefined, 50, deps)).page.items).toHaveLength(1);
  });

  it('keeps outsiders out of the chat and its transcript', async () => {
    await expect(
      refusal(
        sendChat(
          outsider,
          'eve',
          { appointmentId: 'appt-1', clientMessageId: 'client-0002', text: 'hi' },
          deps,
        ),
      ),
    ).resolves.toMatchObject({ status: 403, code: 'not_participant' });
    await expect(refusal(chatTranscript(outsider, 'appt-1', undefined, 50, deps))).resolves.toMatchObject({
      status: 403,
      code: 'not_participant',
    });
  });
});

describe('ending and recording', () => {
  it('the doctor ends the visit for both: completed, room closed, both told', async () => {
    await inCall();
    connect('pat-call', patient, 'appt-1');
    connect('doc-call', doctor, 'appt-1');
    const done = await endVisit(doctor, 'appt-1', deps);
    expect(done.status).toBe('completed');
    expect(videoCalls).toEqual(['end:appt-1']);
    expect(
      posted()
        .filter((p) => p.frame.type === 'call.ended')
        .map((p) => p.connectionId)
        .sort(),
    ).toEqual(['doc-call', 'pat-call']);
    await expect(endVisit(patient as never, 'appt-1', deps)).rejects.toBeInstanceOf(Forbidden);
  });

  it('says recording is not available with the p2p provider', async () => {
    await inCall();
    await expect(refusal(setRecordingConsent(patient, 'appt-1', true, deps))).resolves.toMatchObject({
      status: 409,
      code: 'recording_unavailable',
    });
  });
});

describe('with the twilio provider', () => {
  it('a non-participant gets 403 and no token is minted', async () => {
    const { twilioVideo } = await import('./video/twilio');
    const requests: string[] = [];
    deps.video = twilioVideo(async () => ({ accountSid: 'AC1', apiKeySid: 'SK1', apiKeySecret: 's' }), {
      fetch: (async (url: string) => {
        requests.push(url);
        return new Response('{}', { status: 201 });
      }) as unknown as typeof fetch,
      now: () => now.value.getTime(),
    });
    await inCall();
    await expect(refusal(joinCall(outsider, 'appt-1', deps))).resolves.toMatchObject({ status: 403 });
    expect(requests).toEqual([]);
    const info = await joinCall(patient, 'appt-1', deps);
    expect(info.provider).toBe('twilio');
    expect(requests).toHaveLength(1);
  });

  it('mints a token that outlives the room, even in the overrun', async () => {
    const { twilioVideo } = await import('./video/twilio');
    deps.video = twilioVideo(async () => ({ accountSid: 'AC1', apiKeySid: 'SK1', apiKeySecret: 's' }), {
      fetch: (async () => new Response('{}', { status: 201 })) as unknown as typeof fetch,
      now: () => now.value.getTime(),
    });
    await inCall();
    // Deep in the overrun: the slot ended 10:20, the running visit's room closes at 11:20.
    now.value = new Date('2026-03-02T11:10:00Z');
    const roomCloses = Date.parse('2026-03-02T11:20:00Z');
    const info = await joinCall(patient, 'appt-1', deps);
    expect(Date.parse(info.expiresAt)).toBeGreaterThanOrEqual(roomCloses);
    const claims = JSON.parse(
      Buffer.from((info as { token: string }).token.split('.')[1]!, 'base64url').toString('utf8'),
    ) as { iat: number; exp: number };
    // The token library stamps iat/exp from the real clock: its lifetime is what counts.
    expect(claims.exp - claims.iat).toBeGreaterThanOrEqual((roomCloses - now.value.getTime()) / 1000);
  });
});

describe('recording with safe storage (a Twilio room whose recordings go to our storage)', () => {
  /** The provider as the core sees it: what it was asked to do, and how it answers rules updates. */
  function recordingProvider(rules: (active: boolean) => Promise<void> = async () => undefined) {
    const asked: string[] = [];
    const provider: VideoProvider = {
      kind: 'twilio',
      recordingAvailable: true,
      join: async (_a, p, expiresAt, recording) => {
        asked.push(`join:${p.role}:${recording}`);
        return {
          provider: 'twilio',
          token: 't',
          roomName: 'appt-appt-1',
          expiresAt: expiresAt.toISOString(),
          recordingAvailable: true,
        };
      },
      end: async () => void asked.push('end'),
      setRecording: async (_a, active) => {
        asked.push(`rules:${active}`);
        await rules(active);
      },
    };
    return { provider, asked };
  }
  const frames = () => posted().filter((p) => p.frame.type === 'recording');

  it('records only once both agreed, and tells both', async () => {
    const { provider, asked } = recordingProvider();
    deps.video = provider;
    await inCall();
    connect('pat-call', patient, 'appt-1');
    connect('doc-call', doctor, 'appt-1');
    await expect(setRecordingConsent(patient, 'appt-1', true, deps)).resolves.toEqual({
      active: false,
      consents: { patient: true },
    });
    await expect(setRecordingConsent(doctor, 'appt-1', true, deps)).resolves.toMatchObject({ active: true });
    // One agreeing alone changes nothing at Twilio.
    expect(asked).toEqual(['rules:true']);
    expect(frames().at(-1)!.frame).toMatchObject({ active: true, consents: { doctor: true, patient: true } });
  });

  it('a withdrawal Twilio cannot be told of completes the room, logged with its code and counted', async () => {
    const { provider, asked } = recordingProvider(async (active) => {
      if (!active) throw new VideoProviderError('Twilio could not change recording rules (503)', 503, 20500);
    });
    deps.video = provider;
    await inCall();
    await setRecordingConsent(patient, 'appt-1', true, deps);
    await setRecordingConsent(doctor, 'appt-1', true, deps);
    asked.length = 0;
    await expect(setRecordingConsent(patient, 'appt-1', false, deps)).resolves.toMatchObject({
      active: false,
    });
    expect(asked).toEqual(['rules:false', 'end']);
    expect(mem.counted).toContain('RecordingStopFailed');
    expect(mem.errors).toEqual([
      {
        message: 'recording could not be stopped: completing the room',
        attributes: {
          appointmentId: 'appt-1',
          errorName: 'VideoProviderError',
          status: 503,
          twilioCode: 20500,
        },
      },
    ]);
  });

  it('a withdrawal that reaches Twilio leaves the room open', async () => {
    const { provider, asked } = recordingProvider();
    deps.video = provider;
    await inCall();
    await setRecordingConsent(doctor, 'appt-1', false, deps);
    expect(asked).toEqual(['rules:false']);
    expect(mem.counted).not.toContain('RecordingStopFailed');
  });

  it('a room (re-)created after both agreed records from the start; after a withdrawal it does not', async () => {
    const { provider, asked } = recordingProvider();
    deps.video = provider;
    await inCall();
    await joinCall(patient, 'appt-1', deps);
    await setRecordingConsent(patient, 'appt-1', true, deps);
    await setRecordingConsent(doctor, 'appt-1', true, deps);
    await joinCall(doctor, 'appt-1', deps);
    await setRecordingConsent(doctor, 'appt-1', false, deps);
    await joinCall(patient, 'appt-1', deps);
    expect(asked.filter((a) => a.startsWith('join'))).toEqual([
      'join:patient:false',
      'join:doctor:true',
      'join:patient:false',
    ]);
  });

  it('storage Twilio does not confirm refuses with 409 recording_unavailable', async () => {
    const { provider } = recordingProvider(async (active) => {
      if (active) throw new RecordingUnavailable('settings do not match');
    });
    deps.video = provider;
    await inCall();
    await setRecordingConsent(patient, 'appt-1', true, deps);
    await expect(refusal(setRecordingConsent(doctor, 'appt-1', true, deps))).resolves.toMatchObject({
      status: 409,
      code: 'recording_unavailable',
    });
  });

  it('without configured storage nothing is stored and the answer is 409 recording_unavailable', async () => {
    const { provider, asked } = recordingProvider();
    deps.video = { ...provider, recordingAvailable: false };
    await inCall();
    await expect(refusal(setRecordingConsent(patient, 'appt-1', true, deps))).resolves.toMatchObject({
      status: 409,
      code: 'recording_unavailable',
    });
    expect(consents.filter((c) => c.kind === 'recording')).toEqual([]);
    expect(asked).toEqual([]);
    await joinCall(patient, 'appt-1', deps);
    expect(asked).toEqual(['join:patient:false']);
  });
});
