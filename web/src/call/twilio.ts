import { createSignal } from 'solid-js';
import { WsAction, type JoinInfo, type ServerFrame } from '../../../shared/live';
import { realtime } from '../realtime';
import { createMediaState } from './media-state';
import type { CallSession, CallState, Quality } from './types';

type TwilioJoin = Extract<JoinInfo, { provider: 'twilio' }>;

/**
 * Twilio Video. The SDK is loaded only here, on the call page, only for this provider. Twilio keeps
 * the media connection alive through network changes itself; after a page reload the page asks for a
 * fresh token and joins again with the same identity, which makes Twilio drop the stale participant.
 */
export async function startTwilioCall(appointmentId: string, join: TwilioJoin): Promise<CallSession> {
  const Video = await import('twilio-video');
  const [state, setState] = createSignal<CallState>('connecting');
  const [localStream, setLocalStream] = createSignal<MediaStream>();
  const [remoteStream, setRemoteStream] = createSignal<MediaStream>();
  const [quality, setQuality] = createSignal<Quality>('unknown');
  const media = createMediaState(appointmentId);
  const { micOn, setMicOn, cameraOn, setCameraOn, sharing, setSharing, remoteMedia } = media;
  const announceMedia = media.announce;

  let tracks = await Video.createLocalTracks({ audio: true, video: { width: 1280, height: 720 } });
  const localMedia = () =>
    new MediaStream(tracks.flatMap((t) => (t.kind === 'data' ? [] : [t.mediaStreamTrack])));
  setLocalStream(localMedia());

  const room = await Video.connect(join.token, {
    name: join.roomName,
    tracks,
    networkQuality: { local: 1, remote: 1 },
  });
  let screen: import('twilio-video').LocalVideoTrack | undefined;

  const remoteTracks = new Map<string, MediaStreamTrack>();
  const publishRemote = () =>
    setRemoteStream(remoteTracks.size ? new MediaStream([...remoteTracks.values()]) : undefined);

  const attachParticipant = (participant: import('twilio-video').RemoteParticipant) => {
    participant.on('trackSubscribed', (track: import('twilio-video').RemoteTrack) => {
      if (track.kind === 'audio' || track.kind === 'video') {
        remoteTracks.set(track.sid, track.mediaStreamTrack);
        publishRemote();
      }
    });
    participant.on('trackUnsubscribed', (track: import('twilio-video').RemoteTrack) => {
      remoteTracks.delete(track.sid);
      publishRemote();
    });
    participant.on('networkQualityLevelChanged', (level: number | null) => {
      setQuality(level === null ? 'unknown' : level >= 4 ? 'good' : level >= 2 ? 'fair' : 'poor');
    });
    setState('connected');
  };
  room.participants.forEach(attachParticipant);
  if (room.participants.size === 0) setState('waiting-for-peer');
  room.on('participantConnected', attachParticipant);
  room.on('participantDisconnected', () => {
    remoteTracks.clear();
    publishRemote();
    setState('waiting-for-peer');
  });
  room.on('reconnecting', () => setState('reconnecting'));
  room.on('reconnected', () => setState(room.participants.size ? 'connected' : 'waiting-for-peer'));
  room.on('disconnected', () => setState('ended'));

  const offFrame = realtime.onFrame((frame: ServerFrame) => {
    if (!('appointmentId' in frame) || frame.appointmentId !== appointmentId) return;
    media.receive(frame);
    if (frame.type === 'call.ended') leave();
  });
  const offOpen = realtime.onOpen(() => {
    realtime.send({ action: WsAction.callJoin, appointmentId });
    announceMedia();
  });

  function leave(reason?: 'left' | 'closed') {
    offFrame();
    offOpen();
    realtime.send({ action: WsAction.callLeave, appointmentId, ...(reason ? { reason } : {}) });
    room.disconnect();
    tracks.forEach((t) => ('stop' in t ? t.stop() : undefined));
    screen?.stop();
    setState('ended');
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
      room.localParticipant.audioTracks.forEach((p) => {
        if (on) p.track.enable();
        else p.track.disable();
      });
      setMicOn(on);
      announceMedia();
    },
    setCamera(on) {
      room.localParticipant.videoTracks.forEach((p) => {
        if (p.track === screen) return;
        if (on) p.track.enable();
        else p.track.disable();
      });
      setCameraOn(on);
      announceMedia();
    },
    async useDevice(kind, deviceId) {
      const next =
        kind === 'audioinput'
          ? await Video.createLocalAudioTrack({ deviceId: { exact: deviceId } })
          : await Video.createLocalVideoTrack({ deviceId: { exact: deviceId } });
      const old = tracks.find((t) => t.kind === next.kind);
      if (old && old.kind !== 'data') {
        room.localParticipant.unpublishTrack(old);
        old.stop();
      }
      await room.localParticipant.publishTrack(next);
      tracks = [...tracks.filter((t) => t !== old), next];
      setLocalStream(localMedia());
    },
    async shareScreen(on) {
      if (on && !screen) {
        const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
        const track = display.getVideoTracks()[0];
        if (!track) return;
        screen = new Video.LocalVideoTrack(track, { name: 'screen' });
        track.onended = () => void call.shareScreen(false);
        await room.localParticipant.publishTrack(screen);
        setSharing(true);
      } else if (!on && screen) {
        room.localParticipant.unpublishTrack(screen);
        screen.stop();
        screen = undefined;
        setSharing(false);
      }
      announceMedia();
    },
    leave,
  };
  return call;
}
