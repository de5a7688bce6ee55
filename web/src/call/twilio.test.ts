import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endingOf, startTwilioCall } from './twilio';

// The engine against a fake `twilio-video` module and minimal browser globals: the SDK and the page
// are the outside world here, the engine's own code runs for real.

const sent = vi.hoisted(() => [] as Record<string, unknown>[]);
vi.mock('../realtime', () => ({
  realtime: {
    send: (frame: Record<string, unknown>) => sent.push(frame),
    onFrame: () => () => undefined,
    onOpen: () => () => undefined,
  },
}));

class FakeMediaStream {
  constructor(private readonly tracks: unknown[]) {}
  getTracks() {
    return this.tracks;
  }
}

let nextId = 0;
class FakeLocalTrack extends EventEmitter {
  mediaStreamTrack = { id: `mst-${++nextId}`, readyState: 'live' };
  isEnabled = true;
  isStopped = false;
  /** The constraints of each restart, and which devices are plugged in for it. */
  readonly restarts: unknown[] = [];
  devices = ['default'];
  constructor(
    readonly kind: 'audio' | 'video',
    readonly name = `${kind}-${nextId}`,
  ) {
    super();
  }
  /** As the SDK: a new MediaStreamTrack from the constraints given (else the original ones), then 'started'. */
  restart(constraints?: { deviceId?: { exact: string } }) {
    this.restarts.push(constraints);
    const device = constraints ? constraints.deviceId?.exact : 'unplugged-cam';
    if (device && !this.devices.includes(device))
      return Promise.reject(Object.assign(new Error('gone'), { name: 'OverconstrainedError' }));
    this.mediaStreamTrack = { id: `mst-${++nextId}`, readyState: 'live' };
    this.emit('started', this);
    return Promise.resolve();
  }
  enable() {
    this.isEnabled = true;
  }
  disable() {
    this.isEnabled = false;
  }
  stop() {
    this.isStopped = true;
  }
}

class FakeRemoteTrack {
  readonly mediaStreamTrack = { id: `remote-${++nextId}` };
  constructor(
    readonly sid: string,
    readonly kind: 'audio' | 'video',
    readonly name: string,
  ) {}
}

class FakeRemoteParticipant extends EventEmitter {
  readonly tracks = new Map<string, { track: FakeRemoteTrack | null }>();
  constructor(readonly sid: string) {
    super();
  }
  /** As the SDK does: the track is on its publication and the event fires. */
  subscribe(track: FakeRemoteTrack) {
    this.tracks.set(track.sid, { track });
    this.emit('trackSubscribed', track, this.tracks.get(track.sid));
  }
}

class FakeLocalParticipant {
  readonly audioTracks = new Map<string, { track: FakeLocalTrack }>();
  readonly videoTracks = new Map<string, { track: FakeLocalTrack }>();
  readonly published: FakeLocalTrack[] = [];
  private map(track: FakeLocalTrack) {
    return track.kind === 'audio' ? this.audioTracks : this.videoTracks;
  }
  publishTrack(track: FakeLocalTrack) {
    this.map(track).set(track.mediaStreamTrack.id, { track });
    this.published.push(track);
    return Promise.resolve({ track });
  }
  unpublishTrack(track: FakeLocalTrack) {
    this.map(track).delete(track.mediaStreamTrack.id);
  }
}

class FakeRoom extends EventEmitter {
  readonly participants = new Map<string, FakeRemoteParticipant>();
  readonly localParticipant = new FakeLocalParticipant();
  disconnects = 0;
  refreshes = 0;
  isRecording = false;
  /** As the SDK does when Twilio starts or stops recording the room. */
  recordingChanged(on: boolean) {
    this.isRecording = on;
    this.emit(on ? 'recordingStarted' : 'recordingStopped', this);
  }
  disconnect() {
    this.disconnects++;
    this.emit('disconnected', this);
    return this;
  }
  refreshInactiveMedia() {
    this.refreshes++;
  }
}

/** A fake of the module, and what the engine did with it. */
function fakeVideo(room: FakeRoom, connect?: () => Promise<FakeRoom>) {
  const created: FakeLocalTrack[] = [];
  const connectOptions: Record<string, unknown>[] = [];
  const track = (kind: 'audio' | 'video', name?: string) => {
    const t = new FakeLocalTrack(kind, name);
    created.push(t);
    return t;
  };
  const module = {
    createLocalTracks: () => Promise.resolve([track('audio'), track('video')]),
    createLocalAudioTrack: () => Promise.resolve(track('audio')),
    createLocalVideoTrack: () => Promise.resolve(track('video')),
    connect: (_token: string, options: { tracks: FakeLocalTrack[] }) => {
      connectOptions.push(options);
      options.tracks.forEach((t) => void room.localParticipant.publishTrack(t));
      return connect ? connect() : Promise.resolve(room);
    },
    LocalVideoTrack: class extends FakeLocalTrack {
      constructor(_track: unknown, options: { name: string }) {
        super('video', options.name);
      }
    },
  };
  return {
    created,
    connectOptions,
    load: () => Promise.resolve(module as unknown as typeof import('twilio-video')),
  };
}

const join = {
  provider: 'twilio' as const,
  token: 'tok',
  roomName: 'appt-room',
  expiresAt: '2026-01-01T10:00:00.000Z',
  recordingAvailable: true,
};
const start = (room: FakeRoom, connect?: () => Promise<FakeRoom>) => {
  const video = fakeVideo(room, connect);
  return { video, call: startTwilioCall('appt-1', join, video.load) };
};
const ids = (stream: MediaStream | undefined) =>
  (stream?.getTracks() ?? []).map((t) => (t as unknown as { id: string }).id);

let page: EventTarget;
let doc: EventTarget & { visibilityState: string };
let mediaDevices: EventTarget;
beforeEach(() => {
  sent.length = 0;
  page = new EventTarget();
  doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  vi.stubGlobal('MediaStream', FakeMediaStream);
  vi.stubGlobal('window', page);
  vi.stubGlobal('document', doc);
  mediaDevices = Object.assign(new EventTarget(), {
    getDisplayMedia: () =>
      Promise.resolve({ getVideoTracks: () => [{ id: 'display', onended: null as unknown }] }),
  });
  vi.stubGlobal('navigator', { mediaDevices });
});
afterEach(() => vi.unstubAllGlobals());

describe('twilio engine', () => {
  it('shows tracks the participant already had when the room connected', async () => {
    const room = new FakeRoom();
    const peer = new FakeRemoteParticipant('PA1');
    // Subscribed in the participant's constructor, before any listener of ours existed.
    peer.subscribe(new FakeRemoteTrack('MT1', 'audio', 'mic'));
    peer.subscribe(new FakeRemoteTrack('MT2', 'video', 'cam'));
    room.participants.set(peer.sid, peer);
    const call = await start(room).call;
    expect(call.state()).toBe('connected');
    expect(call.remoteStream()?.getTracks()).toHaveLength(2);
    // Later subscriptions still arrive.
    peer.subscribe(new FakeRemoteTrack('MT3', 'audio', 'mic2'));
    expect(call.remoteStream()?.getTracks()).toHaveLength(3);
  });

  it('keeps the remote screen share apart from the camera, for its own element', async () => {
    const room = new FakeRoom();
    const call = await start(room).call;
    const peer = new FakeRemoteParticipant('PA1');
    room.participants.set(peer.sid, peer);
    room.emit('participantConnected', peer);
    const camera = new FakeRemoteTrack('MT1', 'video', 'cam');
    const screen = new FakeRemoteTrack('MT2', 'video', 'screen');
    peer.subscribe(camera);
    peer.subscribe(screen);
    expect(ids(call.remoteStream())).toEqual([camera.mediaStreamTrack.id]);
    expect(ids(call.remoteScreen?.())).toEqual([screen.mediaStreamTrack.id]);
    peer.emit('trackUnsubscribed', screen);
    expect(call.remoteScreen?.()).toBeUndefined();
    expect(ids(call.remoteStream())).toEqual([camera.mediaStreamTrack.id]);
  });

  it('publishes our own screen share under the name the other side looks for', async () => {
    const room = new FakeRoom();
    const call = await start(room).call;
    await call.shareScreen(true);
    expect(room.localParticipant.published.at(-1)?.name).toBe('screen');
    expect(call.sharing()).toBe(true);
  });

  it('keeps the tracks of a participant that replaced a stale one with the same identity', async () => {
    const room = new FakeRoom();
    const call = await start(room).call;
    const stale = new FakeRemoteParticipant('PA-old');
    const fresh = new FakeRemoteParticipant('PA-new');
    room.participants.set(stale.sid, stale);
    room.emit('participantConnected', stale);
    stale.subscribe(new FakeRemoteTrack('MT1', 'video', 'cam'));
    room.participants.set(fresh.sid, fresh);
    room.emit('participantConnected', fresh);
    const track = new FakeRemoteTrack('MT2', 'video', 'cam');
    fresh.subscribe(track);
    room.participants.delete(stale.sid);
    room.emit('participantDisconnected', stale);
    expect(ids(call.remoteStream())).toEqual([track.mediaStreamTrack.id]);
    expect(call.state()).toBe('connected');
  });

  it('keeps the microphone muted and the camera off across a device switch', async () => {
    const room = new FakeRoom();
    const call = await start(room).call;
    call.setMic(false);
    call.setCamera(false);
    await call.useDevice('audioinput', 'mic-2');
    await call.useDevice('videoinput', 'cam-2');
    const [audio, video] = room.localParticipant.published.slice(-2);
    expect(audio?.kind).toBe('audio');
    expect(audio?.isEnabled).toBe(false);
    expect(video?.kind).toBe('video');
    expect(video?.isEnabled).toBe(false);
    // And live again when switched on.
    call.setMic(true);
    expect(audio?.isEnabled).toBe(true);
  });

  it('switches to an enabled device while the microphone is on', async () => {
    const room = new FakeRoom();
    const call = await start(room).call;
    await call.useDevice('audioinput', 'mic-2');
    expect(room.localParticipant.published.at(-1)?.isEnabled).toBe(true);
  });

  it.each([
    [53118, 'completed', 'ended'],
    [20104, 'expired', 'failed'],
    [53001, 'network', 'failed'],
    [53000, 'network', 'failed'],
    [53405, 'network', 'failed'],
    [53205, 'replaced', 'failed'],
    [53999, 'error', 'failed'],
  ] as const)('reports disconnect code %i as %s', async (code, reason, state) => {
    const room = new FakeRoom();
    const { call, video } = start(room);
    const session = await call;
    room.emit('disconnected', room, { code, message: 'x' });
    expect(session.ending?.()).toEqual({ reason, code });
    expect(session.state()).toBe(state);
    // The camera and microphone are let go of.
    expect(video.created.every((t) => t.isStopped)).toBe(true);
  });

  it('names each disconnect code', () => {
    expect(endingOf(undefined)).toEqual({ reason: 'left' });
    expect(endingOf({ code: 53118 })).toEqual({ reason: 'completed', code: 53118 });
    expect(endingOf({ code: 20104 })).toEqual({ reason: 'expired', code: 20104 });
    expect(endingOf({ code: 53002 })).toEqual({ reason: 'network', code: 53002 });
  });

  it('disconnects when the page is hidden for good (reload, closed tab)', async () => {
    const room = new FakeRoom();
    const { call, video } = start(room);
    const session = await call;
    window.dispatchEvent(new Event('pagehide'));
    expect(room.disconnects).toBe(1);
    expect(sent).toContainEqual({ action: 'call.leave', appointmentId: 'appt-1', reason: 'closed' });
    expect(video.created.every((t) => t.isStopped)).toBe(true);
    expect(session.state()).toBe('ended');
    expect(session.ending?.()).toEqual({ reason: 'left' });
    // Leaving again (the page's own handler) does nothing more.
    session.leave('closed');
    window.dispatchEvent(new Event('pagehide'));
    expect(room.disconnects).toBe(1);
  });

  it('refreshes inactive media when the page becomes visible again', async () => {
    const room = new FakeRoom();
    const session = await start(room).call;
    doc.visibilityState = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(room.refreshes).toBe(0);
    doc.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(room.refreshes).toBe(1);
    // Not after the call is over.
    session.leave();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(room.refreshes).toBe(1);
  });

  it('asks Twilio for VP8 with adaptive simulcast, which every supported browser handles', async () => {
    const room = new FakeRoom();
    const { call, video } = start(room);
    await call;
    expect(video.connectOptions[0]).toMatchObject({ preferredVideoCodecs: 'auto' });
  });

  it('restarts a track whose device was unplugged on the default device, and the preview follows', async () => {
    const room = new FakeRoom();
    const { call, video } = start(room);
    const session = await call;
    const [mic, camera] = video.created as [FakeLocalTrack, FakeLocalTrack];
    // Nothing ended: a device change only refreshes the list.
    mediaDevices.dispatchEvent(new Event('devicechange'));
    expect(camera.restarts).toEqual([]);
    camera.mediaStreamTrack.readyState = 'ended';
    mediaDevices.dispatchEvent(new Event('devicechange'));
    await vi.waitFor(() => expect(camera.restarts).toHaveLength(2));
    // The chosen camera first (its own constraints), then the default one at our usual size.
    expect(camera.restarts).toEqual([undefined, { width: 1280, height: 720 }]);
    expect(mic.restarts).toEqual([]);
    expect(ids(session.localStream())).toEqual([mic.mediaStreamTrack.id, camera.mediaStreamTrack.id]);
  });

  it('leaves restarting to the SDK when the page returns from the background', async () => {
    const room = new FakeRoom();
    const { call, video } = start(room);
    await call;
    const camera = video.created[1]!;
    camera.mediaStreamTrack.readyState = 'ended';
    window.dispatchEvent(new Event('pageshow'));
    expect(room.refreshes).toBe(1);
    expect(camera.restarts).toEqual([]);
  });

  it('stops the camera and microphone when connecting fails', async () => {
    const room = new FakeRoom();
    const failure = Object.assign(new Error('Signaling connection error'), { code: 53000 });
    const { call, video } = start(room, () => Promise.reject(failure));
    await expect(call).rejects.toBe(failure);
    expect(video.created).toHaveLength(2);
    expect(video.created.every((t) => t.isStopped)).toBe(true);
  });

  it('follows the room’s own recording events', async () => {
    const room = new FakeRoom();
    const session = await start(room).call;
    expect(session.recording?.()).toBe(false);
    room.recordingChanged(true);
    expect(session.recording?.()).toBe(true);
    room.recordingChanged(false);
    expect(session.recording?.()).toBe(false);
  });

  it('shows a room that was already recording when we joined (re-created with consent)', async () => {
    const room = new FakeRoom();
    room.isRecording = true;
    const session = await start(room).call;
    expect(session.recording?.()).toBe(true);
    // Once out of the room, nothing of ours is recorded any more.
    session.leave();
    expect(session.recording?.()).toBe(false);
  });

  it('shows recording stopped when the room is completed (a withdrawal Twilio could not be told of)', async () => {
    const room = new FakeRoom();
    room.isRecording = true;
    const session = await start(room).call;
    room.emit('disconnected', room, { code: 53118, message: 'Room completed' });
    expect(session.recording?.()).toBe(false);
    expect(session.state()).toBe('ended');
  });
});
