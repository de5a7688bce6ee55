import { createSignal, type Accessor } from 'solid-js';
import { WsAction, type CallParticipant, type JoinInfo, type ServerFrame } from '../../../shared/live';
import { realtime } from '../realtime';
import { preferVideoCodecs } from './codecs';
import { combineCounters, countersFromRtcStats, type MediaCounters } from './call-stats';
import { getLocalMedia } from './media';
import {
  replaceSenderTracks,
  restartEndedTracks,
  watchMediaRefresh,
  withDefaultDevice,
  type MediaRequest,
} from './media-refresh';
import { createMediaState } from './media-state';
import {
  initialMesh,
  mesh,
  meshCallState,
  type MeshCommand,
  type MeshEvent,
  type MeshState,
  type PeerCommand,
} from './mesh';
import type { Candidate, NegotiationCommand, NegotiationEvent } from './negotiation';
import { counterpartRole, type CallSession, type Quality } from './types';

type P2PJoin = Extract<JoinInfo, { provider: 'p2p' }>;

const CONNECTION_STEPS = new Set<NegotiationCommand['type']>([
  'rebuild',
  'create-offer',
  'accept-offer',
  'accept-answer',
  'add-candidate',
]);

/** Round trip and loss of one connection's stats, in the words of the quality chip. */
function qualityOf(stats: RTCStatsReport): Quality {
  let rtt: number | undefined;
  let lost = 0;
  let received = 0;
  stats.forEach((r) => {
    if (r.type === 'candidate-pair' && r.state === 'succeeded' && typeof r.currentRoundTripTime === 'number')
      rtt = r.currentRoundTripTime;
    if (r.type === 'inbound-rtp') {
      lost += r.packetsLost ?? 0;
      received += r.packetsReceived ?? 0;
    }
  });
  const lossRate = received + lost > 0 ? lost / (received + lost) : 0;
  if (rtt === undefined) return 'unknown';
  if (rtt < 0.15 && lossRate < 0.02) return 'good';
  if (rtt < 0.4 && lossRate < 0.08) return 'fair';
  return 'poor';
}

/** Our signal schema carries candidates as plain records; WebRTC wants RTCIceCandidateInit. */
function toIceCandidate(c: Candidate): RTCIceCandidateInit {
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const num = (x: unknown) => (typeof x === 'number' ? x : null);
  return {
    candidate: str(c.candidate),
    sdpMid: str(c.sdpMid) ?? null,
    sdpMLineIndex: num(c.sdpMLineIndex),
    usernameFragment: str(c.usernameFragment) ?? null,
  };
}

function fromIceCandidate(c: RTCIceCandidateInit): Candidate {
  const out: Candidate = {};
  for (const [key, value] of Object.entries(c))
    if (typeof value === 'string' || typeof value === 'number' || value === null) out[key] = value;
  return out;
}

/** The connection with one other participant, and what the page shows of them. */
interface Link {
  readonly participant: CallParticipant;
  pc: RTCPeerConnection | undefined;
  pcSession: string;
  /** Connection steps run one at a time, in order, per peer; a failing step never breaks the next. */
  queue: Promise<void>;
  timers: Partial<Record<'repair' | 'candidates' | 'watchdog', ReturnType<typeof setTimeout>>>;
  stream: Accessor<MediaStream | undefined>;
  setStream: (stream: MediaStream | undefined) => void;
  /** Inbound packets at the last sample, and how many samples in a row saw none arrive. */
  lastPackets: number;
  stillSamples: number;
  removed: boolean;
}

/**
 * Browser-to-browser WebRTC with signaling over our WebSocket API, as a small mesh: one
 * RTCPeerConnection per other participant. The decisions are the reducers in mesh.ts (who is in the
 * call, whom each signal is for) and negotiation.ts (per connection); this driver runs their commands
 * against RTCPeerConnection, the realtime socket and timers, and feeds back what happens. Mute,
 * camera and screen share swap or disable tracks and need no renegotiation.
 */
export async function startP2PCall(appointmentId: string, join: P2PJoin): Promise<CallSession> {
  const [localStream, setLocalStream] = createSignal<MediaStream>();
  const [quality, setQuality] = createSignal<Quality>('unknown');
  const [meshState, setMeshState] = createSignal<MeshState>(initialMesh());
  const [links, setLinks] = createSignal<Link[]>([]);
  const [stalled, setStalled] = createSignal<ReadonlySet<string>>(new Set());
  const media = createMediaState(appointmentId);
  const { micOn, setMicOn, cameraOn, setCameraOn, sharing, setSharing } = media;
  const announceMedia = media.announce;

  let camera = await getLocalMedia();
  setLocalStream(camera);
  let screenTrack: MediaStreamTrack | undefined;
  let state = initialMesh();
  /** The last good counters of every connection made in this call, by connection session. */
  const counters = new Map<string, MediaCounters>();

  const videoTrack = () => screenTrack ?? camera.getVideoTracks()[0];
  const linkOf = (id: string) => links().find((l) => l.participant.id === id);
  const connections = () => links().flatMap((l) => (l.pc ? [l.pc] : []));

  function dispatch(event: MeshEvent) {
    const t = mesh(state, event, () => crypto.randomUUID());
    state = t.state;
    setMeshState(state);
    for (const command of t.commands) run(command);
  }
  const toPeer = (peer: string) => (event: NegotiationEvent) => dispatch({ type: 'peer-event', peer, event });

  function run(command: MeshCommand) {
    switch (command.type) {
      case 'join-call':
        realtime.send({ action: WsAction.callJoin, appointmentId });
        return;
      case 'leave-call':
        realtime.send({
          action: WsAction.callLeave,
          appointmentId,
          ...(command.reason ? { reason: command.reason } : {}),
        });
        return;
      case 'send-signal':
        // Paced and named, so a signal the rate limit refuses is sent again rather than lost.
        realtime.sendPaced({
          action: WsAction.signal,
          appointmentId,
          to: command.to,
          clientMessageId: `sig-${crypto.randomUUID()}`,
          data: command.data,
        });
        return;
      case 'add-peer': {
        const [stream, setStream] = createSignal<MediaStream>();
        const link: Link = {
          participant: command.participant,
          pc: undefined,
          pcSession: '',
          queue: Promise.resolve(),
          timers: {},
          stream,
          setStream,
          lastPackets: -1,
          stillSamples: 0,
          removed: false,
        };
        setLinks((all) => [...all, link]);
        return;
      }
      case 'remove-peer': {
        const link = linkOf(command.peer);
        if (!link) return;
        closeLink(link);
        link.removed = true;
        setLinks((all) => all.filter((l) => l !== link));
        return;
      }
      case 'peer': {
        const link = linkOf(command.peer);
        if (!link) return;
        const step = command.command;
        if (CONNECTION_STEPS.has(step.type))
          // Steps still queued when the call ends or the peer goes are dropped: no connection outlives them.
          link.queue = link.queue
            .then(() => (state.left || link.removed ? undefined : runStep(link, step)))
            .catch(() => undefined);
        else void runStep(link, step);
        return;
      }
    }
  }

  function closeLink(link: Link) {
    for (const timer of Object.values(link.timers)) clearTimeout(timer);
    link.timers = {};
    link.pc?.close();
    link.pc = undefined;
    link.pcSession = '';
    link.setStream(undefined);
  }

  function build(link: Link, session: string) {
    link.pc?.close();
    const conn = new RTCPeerConnection({ iceServers: join.iceServers as RTCIceServer[] });
    link.pc = conn;
    link.pcSession = session;
    const feed = toPeer(link.participant.id);
    const audio = camera.getAudioTracks()[0];
    if (audio) conn.addTrack(audio, camera);
    const video = videoTrack();
    if (video) conn.addTrack(video, camera);
    preferVideoCodecs(conn);
    conn.onicecandidate = (e) => {
      if (e.candidate)
        feed({ type: 'local-candidate', session, candidate: fromIceCandidate(e.candidate.toJSON()) });
      else feed({ type: 'local-candidates-done', session });
    };
    conn.ontrack = (e) => {
      if (link.pc !== conn) return;
      link.setStream(e.streams[0] ?? new MediaStream([e.track]));
    };
    conn.onconnectionstatechange = () => {
      if (link.pc !== conn) return;
      if (conn.connectionState === 'connected' && !link.stream())
        link.setStream(new MediaStream(conn.getReceivers().map((r) => r.track)));
      feed({ type: 'connection-state', session, state: conn.connectionState });
    };
  }

  async function addCandidates(conn: RTCPeerConnection, list: Candidate[]) {
    for (const c of list) await conn.addIceCandidate(toIceCandidate(c)).catch(() => undefined);
  }

  async function runStep(link: Link, command: PeerCommand) {
    const feed = toPeer(link.participant.id);
    /** The connection of `session` if it is still this peer's current one. */
    const current = (session: string) => (link.pc && link.pcSession === session ? link.pc : undefined);
    const timer = (name: keyof Link['timers'], delayMs: number, event: () => NegotiationEvent) => {
      clearTimeout(link.timers[name]);
      link.timers[name] = setTimeout(() => feed(event()), delayMs);
    };
    switch (command.type) {
      case 'rebuild':
        return build(link, command.session);
      case 'create-offer': {
        const conn = current(command.session);
        if (!conn) return;
        await conn.setLocalDescription(await conn.createOffer({ iceRestart: command.iceRestart }));
        return feed({ type: 'local-offer', session: command.session, sdp: conn.localDescription!.sdp });
      }
      case 'accept-offer': {
        const conn = current(command.session);
        if (!conn) return;
        await conn.setRemoteDescription({ type: 'offer', sdp: command.sdp });
        // Transceivers the offer created get the same codec order as ours.
        preferVideoCodecs(conn);
        await addCandidates(conn, command.candidates);
        await conn.setLocalDescription(await conn.createAnswer());
        return feed({
          type: 'local-answer',
          session: command.session,
          sdp: conn.localDescription!.sdp,
          target: command.target,
        });
      }
      case 'accept-answer': {
        const conn = current(command.session);
        if (!conn) return;
        await conn.setRemoteDescription({ type: 'answer', sdp: command.sdp });
        return addCandidates(conn, command.candidates);
      }
      case 'add-candidate': {
        const conn = current(command.session);
        if (conn) await addCandidates(conn, [command.candidate]);
        return;
      }
      case 'schedule-candidates':
        return timer('candidates', command.delayMs, () => ({ type: 'candidates-due' }));
      case 'clear-remote-media':
        return link.setStream(undefined);
      case 'schedule-repair':
        return timer('repair', command.delayMs, () => ({ type: 'repair-due' }));
      case 'cancel-repair':
        return clearTimeout(link.timers.repair);
      case 'schedule-watchdog':
        return timer('watchdog', command.delayMs, () => ({
          type: 'watchdog-due',
          socketOpen: realtime.isOpen,
        }));
      case 'cancel-watchdog':
        return clearTimeout(link.timers.watchdog);
      case 'close':
        link.pc?.close();
        link.pc = undefined;
        link.pcSession = '';
        return;
    }
  }

  const offFrame = realtime.onFrame((frame: ServerFrame) => {
    if (state.left || !('appointmentId' in frame) || frame.appointmentId !== appointmentId) return;
    media.receive(frame);
    dispatch({ type: 'frame', frame });
  });

  const offOpen = realtime.onOpen(() => {
    if (state.left) return;
    dispatch({ type: 'socket-open' });
    announceMedia();
  });

  // Who the visit is with: their video is the large one; anyone else gets a tile.
  const counterpart = () => {
    const self = meshState().self;
    return self && links().find((l) => l.participant.role === counterpartRole(self.role));
  };

  /** Reads one connection's stats, keeping its counters as the last good reading of that connection. */
  async function readLink(link: Link) {
    const conn = link.pc;
    const session = link.pcSession;
    if (!conn || conn.connectionState === 'closed') return undefined;
    const stats = await conn.getStats();
    counters.set(session, countersFromRtcStats(stats, performance.now()));
    return stats;
  }

  // Sampled every second: media that stops arriving on a connection that still looks up is the
  // quickest sign of the other side's network going (ICE notices only seconds later).
  let tick = 0;
  const statsTimer = setInterval(async () => {
    const assess = ++tick % 2 === 0;
    const worst: Quality[] = [];
    const stalledNow = new Set<string>();
    for (const link of links()) {
      const stats = await readLink(link).catch(() => undefined);
      if (!stats) {
        link.lastPackets = -1;
        continue;
      }
      let packets = 0;
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp') packets += r.packetsReceived ?? 0;
      });
      const peer = state.peers.find((p) => p.participant.id === link.participant.id);
      const connected = peer?.negotiation.connectionState === 'connected';
      link.stillSamples = packets === link.lastPackets && connected ? link.stillSamples + 1 : 0;
      link.lastPackets = packets;
      if (link.stillSamples >= 1) stalledNow.add(link.participant.id);
      if (assess) worst.push(qualityOf(stats));
    }
    setStalled(stalledNow);
    if (!assess) return;
    const order: Quality[] = ['poor', 'fair', 'good', 'unknown'];
    setQuality(order.find((q) => worst.includes(q)) ?? 'unknown');
  }, 1000);

  /** Our camera and microphone become `next`: on the senders, in the preview; the old ones stop. */
  async function adopt(next: MediaStreamTrack[]) {
    const old = camera.getTracks();
    camera = new MediaStream(next);
    await Promise.all(
      connections().map((c) => replaceSenderTracks(c.getSenders(), next, { keepVideo: !!screenTrack })),
    );
    setLocalStream(camera);
    old.filter((t) => !next.includes(t)).forEach((t) => t.stop());
  }

  const open = async (request: MediaRequest) =>
    (
      await getLocalMedia(
        { audio: request.audio?.deviceId, video: request.video?.deviceId },
        { audio: !!request.audio, video: !!request.video },
      )
    ).getTracks();

  // Tracks the system ended (iOS in the background, an unplugged device) come back when the page is
  // shown again or the devices change; one refresh at a time.
  let refreshing = false;
  const stopRefresh = watchMediaRefresh(async () => {
    if (refreshing || state.left) return;
    refreshing = true;
    try {
      const next = await restartEndedTracks(camera.getTracks(), open);
      if (next && state.left) next.forEach((t) => t.stop());
      else if (next) await adopt(next);
    } catch {
      // No camera to be had right now: the next refresh tries again.
    } finally {
      refreshing = false;
    }
  });

  function end(reason?: 'left' | 'closed') {
    if (state.left) return;
    stopRefresh();
    clearInterval(statsTimer);
    offFrame();
    offOpen();
    dispatch({ type: 'leave', reason });
    links().forEach(closeLink);
    screenTrack?.stop();
    camera.getTracks().forEach((t) => t.stop());
  }

  async function replaceVideo(track: MediaStreamTrack | undefined) {
    if (!track) return;
    await Promise.all(
      connections().map(async (c) => {
        const sender = c.getSenders().find((s) => s.track?.kind === 'video' || !s.track);
        if (sender) await sender.replaceTrack(track);
      }),
    );
  }

  const call: CallSession = {
    state: () => meshCallState(meshState()),
    localStream,
    remoteStream: () => counterpart()?.stream(),
    remoteMedia: () => media.mediaOf(counterpart()?.participant.id),
    others: () =>
      links()
        .filter((l) => l !== counterpart())
        .map((l) => ({
          participant: l.participant,
          stream: l.stream,
          media: () => media.mediaOf(l.participant.id),
        })),
    quality,
    mediaStalled: () => {
      const id = counterpart()?.participant.id;
      return id !== undefined && stalled().has(id);
    },
    micOn,
    cameraOn,
    sharing,
    async readCounters() {
      // A fresh reading of the connections still open; closed ones count with their last good one.
      await Promise.all(links().map((l) => readLink(l).catch(() => undefined)));
      return combineCounters([...counters.values()]);
    },
    setMic(on) {
      camera.getAudioTracks().forEach((t) => (t.enabled = on));
      setMicOn(on);
      announceMedia();
    },
    setCamera(on) {
      camera.getVideoTracks().forEach((t) => (t.enabled = on));
      setCameraOn(on);
      announceMedia();
    },
    async useDevice(kind, deviceId) {
      const media = kind === 'audioinput' ? 'audio' : 'video';
      const fresh = await withDefaultDevice(
        () => open({ [media]: { deviceId } }),
        () => open({ [media]: {} }),
      );
      if (state.left) return fresh.forEach((t) => t.stop());
      // The new device starts as muted or as dark as the one it replaces.
      fresh.forEach((t) => (t.enabled = media === 'audio' ? micOn() : cameraOn()));
      await adopt([...camera.getTracks().filter((t) => t.kind !== media), ...fresh]);
    },
    async shareScreen(on) {
      if (on && !screenTrack) {
        const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
        screenTrack = display.getVideoTracks()[0];
        if (!screenTrack) return;
        screenTrack.onended = () => void call.shareScreen(false);
        await replaceVideo(screenTrack);
        setSharing(true);
      } else if (!on && screenTrack) {
        screenTrack.stop();
        screenTrack = undefined;
        await replaceVideo(camera.getVideoTracks()[0]);
        setSharing(false);
      }
      announceMedia();
    },
    leave: end,
  };
  return call;
}
