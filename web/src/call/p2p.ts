import { createSignal } from 'solid-js';
import { WsAction, type JoinInfo, type ServerFrame, type SignalData } from '../../../shared/live';
import { realtime } from '../realtime';
import { getLocalMedia } from './media';
import { createMediaState } from './media-state';
import type { CallSession, CallState, Quality } from './types';

type P2PJoin = Extract<JoinInfo, { provider: 'p2p' }>;

/**
 * Browser-to-browser WebRTC with signaling over our WebSocket API.
 *
 * Only the impolite peer (the doctor) ever makes offers, so offers never collide. Whenever either
 * side (re)joins — first join, page reload, socket reconnect — the patient builds a fresh connection
 * and sends "restart"; the doctor answers a restart from a new patient session with a fresh
 * connection and an offer. Each connection incarnation has a session id, answers name the offer they
 * answer, and anything from an older incarnation is ignored. ICE failures are repaired with an ICE
 * restart. Mute, camera and screen share swap or disable tracks and need no
 * renegotiation.
 */
export async function startP2PCall(appointmentId: string, join: P2PJoin): Promise<CallSession> {
  const [state, setState] = createSignal<CallState>('connecting');
  const [localStream, setLocalStream] = createSignal<MediaStream>();
  const [remoteStream, setRemoteStream] = createSignal<MediaStream>();
  const [quality, setQuality] = createSignal<Quality>('unknown');
  const media = createMediaState(appointmentId);
  const { micOn, setMicOn, cameraOn, setCameraOn, sharing, setSharing, remoteMedia } = media;
  const announceMedia = media.announce;

  const impolite = !join.polite;
  let camera = await getLocalMedia();
  setLocalStream(camera);
  let screenTrack: MediaStreamTrack | undefined;
  let pc: RTCPeerConnection | undefined;
  let session = '';
  let remoteSession = '';
  /** Candidates that arrived before the description of their session (frames are not ordered). */
  const earlyCandidates = new Map<string, RTCIceCandidateInit[]>();
  let left = false;
  let failTimer: ReturnType<typeof setTimeout> | undefined;

  const signal = (data: Omit<SignalData, 'session'>) =>
    realtime.send({ action: WsAction.signal, appointmentId, data: { ...data, session } });

  const videoTrack = () => screenTrack ?? camera.getVideoTracks()[0];

  function rebuild() {
    pc?.close();
    session = crypto.randomUUID();
    remoteSession = '';
    const conn = new RTCPeerConnection({ iceServers: join.iceServers as RTCIceServer[] });
    pc = conn;
    const audio = camera.getAudioTracks()[0];
    if (audio) conn.addTrack(audio, camera);
    const video = videoTrack();
    if (video) conn.addTrack(video, camera);
    conn.onicecandidate = (e) => {
      if (e.candidate && pc === conn)
        signal({
          kind: 'candidate',
          candidate: { ...e.candidate.toJSON() } as Record<string, string | number | null>,
        });
    };
    conn.ontrack = (e) => {
      if (pc !== conn) return;
      setRemoteStream(e.streams[0] ?? new MediaStream([e.track]));
    };
    conn.onconnectionstatechange = () => {
      if (pc !== conn) return;
      const s = conn.connectionState;
      if (s === 'connected') {
        clearTimeout(failTimer);
        setState('connected');
        if (!remoteStream()) setRemoteStream(new MediaStream(conn.getReceivers().map((r) => r.track)));
      } else if (s === 'disconnected' || s === 'failed') {
        setState('reconnecting');
        clearTimeout(failTimer);
        failTimer = setTimeout(() => repair(), s === 'failed' ? 0 : 2500);
      }
    };
    return conn;
  }

  async function offer(iceRestart = false) {
    const conn = pc ?? rebuild();
    const description = await conn.createOffer({ iceRestart });
    if (pc !== conn) return;
    await conn.setLocalDescription(description);
    signal({ kind: 'offer', sdp: conn.localDescription!.sdp });
  }

  function repair() {
    if (left || !pc || pc.connectionState === 'connected') return;
    if (impolite) void offer(true);
    else signal({ kind: 'restart' });
  }

  async function onSignal(data: {
    kind: string;
    sdp?: string;
    candidate?: RTCIceCandidateInit;
    session?: string;
    target?: string;
  }) {
    if (data.kind === 'restart') {
      if (!impolite) {
        // The doctor is new (reload) or lost us: start over from our side.
        rebuild();
        signal({ kind: 'restart' });
        return;
      }
      // A restart from the same patient connection: ICE restart; from a new one: a new connection.
      if (pc && data.session && data.session === remoteSession) return void offer(true);
      rebuild();
      remoteSession = data.session ?? '';
      return void offer();
    }
    if (data.kind === 'offer' && !impolite) {
      if (!pc || (remoteSession !== '' && data.session !== remoteSession)) rebuild();
      const conn = pc!;
      remoteSession = data.session ?? '';
      await conn.setRemoteDescription({ type: 'offer', sdp: data.sdp });
      await flushCandidates(conn);
      await conn.setLocalDescription(await conn.createAnswer());
      signal({ kind: 'answer', sdp: conn.localDescription!.sdp, target: data.session });
      return;
    }
    if (
      data.kind === 'answer' &&
      impolite &&
      pc?.signalingState === 'have-local-offer' &&
      data.target === session
    ) {
      remoteSession = data.session ?? remoteSession;
      await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
      await flushCandidates(pc);
      return;
    }
    if (data.kind === 'candidate' && data.candidate && pc) {
      const from = data.session ?? '';
      if (pc.remoteDescription && from === remoteSession) {
        await pc.addIceCandidate(data.candidate).catch(() => undefined);
      } else {
        const list = earlyCandidates.get(from) ?? [];
        if (list.length < 100) list.push(data.candidate);
        earlyCandidates.set(from, list);
        // Keep only a few sessions' worth: stale ones are dropped.
        if (earlyCandidates.size > 4) earlyCandidates.delete(earlyCandidates.keys().next().value!);
      }
    }
  }

  async function flushCandidates(conn: RTCPeerConnection) {
    const list = earlyCandidates.get(remoteSession) ?? [];
    earlyCandidates.delete(remoteSession);
    for (const c of list) await conn.addIceCandidate(c).catch(() => undefined);
  }

  // Signals are handled one at a time, in arrival order; a failing one never breaks the next.
  let signalQueue = Promise.resolve();
  const enqueueSignal = (data: unknown) => {
    signalQueue = signalQueue.then(() => onSignal(data as never)).catch(() => undefined);
  };

  const connected = () => pc?.connectionState === 'connected';

  /** Ask for a fresh negotiation: the patient rebuilds and asks the doctor; the doctor asks the patient. */
  function requestRestart() {
    if (!impolite) rebuild();
    signal({ kind: 'restart' });
  }

  const offFrame = realtime.onFrame((frame: ServerFrame) => {
    if (left || !('appointmentId' in frame) || frame.appointmentId !== appointmentId) return;
    if (frame.type === 'signal') enqueueSignal(frame.data);
    media.receive(frame);
    if (frame.type === 'peer' && frame.event === 'joined' && !impolite && !connected()) requestRestart();
    // A "left" can be about an old socket of a peer who is still here: trust the media connection.
    if (frame.type === 'peer' && frame.event === 'left' && !connected()) {
      setState('waiting-for-peer');
      setRemoteStream(undefined);
    }
    if (frame.type === 'call.ended') end();
  });

  // Every (re)open of the socket re-enters the call. A working connection is kept as it is (media
  // does not depend on the socket); otherwise negotiation starts over.
  const offOpen = realtime.onOpen(() => {
    if (left) return;
    realtime.send({ action: WsAction.callJoin, appointmentId });
    announceMedia();
    if (!connected()) requestRestart();
    if (state() === 'connecting') setState('waiting-for-peer');
  });

  // Signals can be lost while a peer is between sockets; the patient keeps asking until connected,
  // backing off so a slow negotiation (cold start, relayed path) is not cut short by its own retry.
  let watchdogDelay = 4000;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    watchdog = setTimeout(() => {
      if (left) return;
      if (connected()) watchdogDelay = 4000;
      else if (!impolite && realtime.isOpen) {
        signal({ kind: 'restart' });
        watchdogDelay = Math.min(20_000, watchdogDelay * 2);
      }
      watch();
    }, watchdogDelay);
  };
  watch();

  const statsTimer = setInterval(async () => {
    if (!pc) return;
    const stats = await pc.getStats();
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
  }, 2000);

  function end() {
    if (left) return;
    left = true;
    clearInterval(statsTimer);
    clearTimeout(watchdog);
    clearTimeout(failTimer);
    offFrame();
    offOpen();
    realtime.send({ action: WsAction.callLeave, appointmentId });
    pc?.close();
    pc = undefined;
    screenTrack?.stop();
    camera.getTracks().forEach((t) => t.stop());
    setState('ended');
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
    micOn,
    cameraOn,
    sharing,
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
      const next = await getLocalMedia({
        audio: kind === 'audioinput' ? deviceId : camera.getAudioTracks()[0]?.getSettings().deviceId,
        video: kind === 'videoinput' ? deviceId : camera.getVideoTracks()[0]?.getSettings().deviceId,
      });
      const old = camera;
      camera = next;
      next.getAudioTracks().forEach((t) => (t.enabled = micOn()));
      next.getVideoTracks().forEach((t) => (t.enabled = cameraOn()));
      for (const sender of pc?.getSenders() ?? []) {
        const kindOf = sender.track?.kind;
        if (kindOf === 'audio') await sender.replaceTrack(next.getAudioTracks()[0] ?? null);
        if (kindOf === 'video' && !screenTrack) await sender.replaceTrack(next.getVideoTracks()[0] ?? null);
      }
      setLocalStream(next);
      old.getTracks().forEach((t) => t.stop());
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
    async framesDecoded() {
      if (!pc) return 0;
      let frames = 0;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      });
      return frames;
    },
    leave: end,
  };
  return call;
}
