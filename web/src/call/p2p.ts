import { createSignal } from 'solid-js';
import { WsAction, type JoinInfo, type ServerFrame } from '../../../shared/live';
import { realtime } from '../realtime';
import { preferVideoCodecs } from './codecs';
import { countersFromRtcStats } from './call-stats';
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
  initialNegotiation,
  negotiate,
  type Candidate,
  type NegotiationCommand,
  type NegotiationEvent,
} from './negotiation';
import type { CallSession, CallState, Quality } from './types';

type P2PJoin = Extract<JoinInfo, { provider: 'p2p' }>;

const CONNECTION_STEPS = new Set<NegotiationCommand['type']>([
  'rebuild',
  'create-offer',
  'accept-offer',
  'accept-answer',
  'add-candidate',
]);

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

/**
 * Browser-to-browser WebRTC with signaling over our WebSocket API. The negotiation itself is the
 * reducer in negotiation.ts; this driver runs its commands against RTCPeerConnection, the realtime
 * socket and timers, one at a time in order, and feeds what happens back to it. Mute, camera and
 * screen share swap or disable tracks and need no renegotiation.
 */
export async function startP2PCall(appointmentId: string, join: P2PJoin): Promise<CallSession> {
  const [state, setState] = createSignal<CallState>('connecting');
  const [localStream, setLocalStream] = createSignal<MediaStream>();
  const [remoteStream, setRemoteStream] = createSignal<MediaStream>();
  const [quality, setQuality] = createSignal<Quality>('unknown');
  const media = createMediaState(appointmentId);
  const { micOn, setMicOn, cameraOn, setCameraOn, sharing, setSharing, remoteMedia } = media;
  const announceMedia = media.announce;

  let camera = await getLocalMedia();
  setLocalStream(camera);
  let screenTrack: MediaStreamTrack | undefined;
  let pc: RTCPeerConnection | undefined;
  let pcSession = '';
  let negotiation = initialNegotiation(!join.polite);
  let repairTimer: ReturnType<typeof setTimeout> | undefined;
  let candidateTimer: ReturnType<typeof setTimeout> | undefined;
  const [mediaStalled, setMediaStalled] = createSignal(false);
  let watchdog: ReturnType<typeof setTimeout> | undefined;

  const videoTrack = () => screenTrack ?? camera.getVideoTracks()[0];

  // Work on the connection runs one step at a time, in order, and a failing step never breaks the
  // next; signals, timers and leaving take effect at once.
  let queue = Promise.resolve();
  function dispatch(event: NegotiationEvent) {
    const { state: next, commands } = negotiate(negotiation, event, () => crypto.randomUUID());
    negotiation = next;
    setState(next.callState);
    for (const command of commands) {
      if (CONNECTION_STEPS.has(command.type))
        // Steps still queued when the call ends are dropped: no connection outlives the call.
        queue = queue.then(() => (negotiation.left ? undefined : run(command))).catch(() => undefined);
      else void run(command);
    }
  }

  function build(session: string) {
    pc?.close();
    const conn = new RTCPeerConnection({ iceServers: join.iceServers as RTCIceServer[] });
    pc = conn;
    pcSession = session;
    const audio = camera.getAudioTracks()[0];
    if (audio) conn.addTrack(audio, camera);
    const video = videoTrack();
    if (video) conn.addTrack(video, camera);
    preferVideoCodecs(conn);
    conn.onicecandidate = (e) => {
      if (e.candidate)
        dispatch({ type: 'local-candidate', session, candidate: fromIceCandidate(e.candidate.toJSON()) });
      else dispatch({ type: 'local-candidates-done', session });
    };
    conn.ontrack = (e) => {
      if (pc !== conn) return;
      setRemoteStream(e.streams[0] ?? new MediaStream([e.track]));
    };
    conn.onconnectionstatechange = () => {
      if (pc !== conn) return;
      if (conn.connectionState === 'connected' && !remoteStream())
        setRemoteStream(new MediaStream(conn.getReceivers().map((r) => r.track)));
      dispatch({ type: 'connection-state', session, state: conn.connectionState });
    };
  }

  /** The connection of `session` if it is still the current one. */
  const current = (session: string) => (pc && pcSession === session ? pc : undefined);

  async function addCandidates(conn: RTCPeerConnection, list: Candidate[]) {
    for (const c of list) await conn.addIceCandidate(toIceCandidate(c)).catch(() => undefined);
  }

  async function run(command: NegotiationCommand) {
    switch (command.type) {
      case 'rebuild':
        return build(command.session);
      case 'create-offer': {
        const conn = current(command.session);
        if (!conn) return;
        await conn.setLocalDescription(await conn.createOffer({ iceRestart: command.iceRestart }));
        return dispatch({ type: 'local-offer', session: command.session, sdp: conn.localDescription!.sdp });
      }
      case 'accept-offer': {
        const conn = current(command.session);
        if (!conn) return;
        await conn.setRemoteDescription({ type: 'offer', sdp: command.sdp });
        // Transceivers the offer created get the same codec order as ours.
        preferVideoCodecs(conn);
        await addCandidates(conn, command.candidates);
        await conn.setLocalDescription(await conn.createAnswer());
        return dispatch({
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
      case 'send-signal':
        // Paced and named, so a signal the rate limit refuses is sent again rather than lost.
        realtime.sendPaced({
          action: WsAction.signal,
          appointmentId,
          clientMessageId: `sig-${crypto.randomUUID()}`,
          data: command.data,
        });
        return;
      case 'schedule-candidates':
        clearTimeout(candidateTimer);
        candidateTimer = setTimeout(() => dispatch({ type: 'candidates-due' }), command.delayMs);
        return;
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
      case 'clear-remote-media':
        return setRemoteStream(undefined);
      case 'schedule-repair':
        clearTimeout(repairTimer);
        repairTimer = setTimeout(() => dispatch({ type: 'repair-due' }), command.delayMs);
        return;
      case 'cancel-repair':
        return clearTimeout(repairTimer);
      case 'schedule-watchdog':
        clearTimeout(watchdog);
        watchdog = setTimeout(
          () => dispatch({ type: 'watchdog-due', socketOpen: realtime.isOpen }),
          command.delayMs,
        );
        return;
      case 'cancel-watchdog':
        return clearTimeout(watchdog);
      case 'close':
        pc?.close();
        pc = undefined;
        pcSession = '';
        return;
    }
  }

  const offFrame = realtime.onFrame((frame: ServerFrame) => {
    if (negotiation.left || !('appointmentId' in frame) || frame.appointmentId !== appointmentId) return;
    media.receive(frame);
    dispatch({ type: 'frame', frame });
  });

  const offOpen = realtime.onOpen(() => {
    if (negotiation.left) return;
    dispatch({ type: 'socket-open' });
    announceMedia();
  });

  dispatch({ type: 'start' });

  // Sampled every second: media that stops arriving on a connection that still looks up is the
  // quickest sign of the other side's network going (ICE notices only seconds later).
  let lastPackets = -1;
  let stillSamples = 0;
  let tick = 0;
  const statsTimer = setInterval(async () => {
    if (!pc) {
      lastPackets = -1;
      return setMediaStalled(false);
    }
    const stats = await pc.getStats();
    let packets = 0;
    stats.forEach((r) => {
      if (r.type === 'inbound-rtp') packets += r.packetsReceived ?? 0;
    });
    stillSamples =
      packets === lastPackets && negotiation.connectionState === 'connected' ? stillSamples + 1 : 0;
    lastPackets = packets;
    setMediaStalled(stillSamples >= 1);
    if (++tick % 2 !== 0) return;
    let rtt: number | undefined;
    let lost = 0;
    let received = 0;
    stats.forEach((r) => {
      if (
        r.type === 'candidate-pair' &&
        r.state === 'succeeded' &&
        typeof r.currentRoundTripTime === 'number'
      )
        rtt = r.currentRoundTripTime;
      if (r.type === 'inbound-rtp') {
        lost += r.packetsLost ?? 0;
        received += r.packetsReceived ?? 0;
      }
    });
    const lossRate = received + lost > 0 ? lost / (received + lost) : 0;
    if (rtt === undefined) setQuality('unknown');
    else if (rtt < 0.15 && lossRate < 0.02) setQuality('good');
    else if (rtt < 0.4 && lossRate < 0.08) setQuality('fair');
    else setQuality('poor');
  }, 1000);

  /** Our camera and microphone become `next`: on the senders, in the preview; the old ones stop. */
  async function adopt(next: MediaStreamTrack[]) {
    const old = camera.getTracks();
    camera = new MediaStream(next);
    await replaceSenderTracks(pc?.getSenders() ?? [], next, { keepVideo: !!screenTrack });
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
    if (refreshing || negotiation.left) return;
    refreshing = true;
    try {
      const next = await restartEndedTracks(camera.getTracks(), open);
      if (next && negotiation.left) next.forEach((t) => t.stop());
      else if (next) await adopt(next);
    } catch {
      // No camera to be had right now: the next refresh tries again.
    } finally {
      refreshing = false;
    }
  });

  function end(reason?: 'left' | 'closed') {
    if (negotiation.left) return;
    stopRefresh();
    clearInterval(statsTimer);
    clearTimeout(candidateTimer);
    offFrame();
    offOpen();
    dispatch({ type: 'leave', reason });
    screenTrack?.stop();
    camera.getTracks().forEach((t) => t.stop());
  }

  async function replaceVideo(track: MediaStreamTrack | undefined) {
    const sender = pc?.getSenders().find((s) => s.track?.kind === 'video' || (!s.track && s !== undefined));
    if (sender && track) await sender.replaceTrack(track);
  }

  const call: CallSession = {
    state,
    localStream,
    remoteStream,
    remoteMedia,
    quality,
    mediaStalled,
    micOn,
    cameraOn,
    sharing,
    async readCounters() {
      return pc && countersFromRtcStats(await pc.getStats(), performance.now());
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
      if (negotiation.left) return fresh.forEach((t) => t.stop());
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
