import { createSignal } from 'solid-js';
import { WsAction, type CallParticipant, type JoinInfo, type ServerFrame } from '../../../shared/live';
import { realtime } from '../realtime';
import { countersFromTwilioStats } from './call-stats';
import { createMediaState } from './media-state';
import { watchMediaRefresh, withDefaultDevice } from './media-refresh';
import {
  counterpartRole,
  type CallEnding,
  type CallSession,
  type CallState,
  type Quality,
  type RemoteParticipant as CallRemote,
} from './types';

type TwilioJoin = Extract<JoinInfo, { provider: 'twilio' }>;
type VideoModule = typeof import('twilio-video');
type RemoteTrack = import('twilio-video').RemoteTrack;
type RemoteParticipant = import('twilio-video').RemoteParticipant;
type LocalTrack = import('twilio-video').LocalTrack;

/** The name our side publishes a screen share under; the other side shows it in its own element. */
const SCREEN = 'screen';

/** Twilio's `disconnected` error code, in the page's words. */
export function endingOf(error: { code?: number } | undefined): CallEnding {
  const code = error?.code;
  if (code === undefined) return { reason: 'left' };
  if (code === 53118) return { reason: 'completed', code };
  if (code === 20104) return { reason: 'expired', code };
  if (code === 53205) return { reason: 'replaced', code };
  // Signaling lost or timed out, media connection failed or ceased, DTLS failure.
  if ([53000, 53001, 53002, 53405, 53407].includes(code)) return { reason: 'network', code };
  return { reason: 'error', code };
}

const stopTrack = (t: LocalTrack) => ('stop' in t ? t.stop() : undefined);

/** The camera as we open it; also what a track falls back to when its chosen camera is gone. */
const CAMERA = { width: 1280, height: 720 };

/**
 * What we ask Twilio to encode video with: 'auto' is VP8 with adaptive simulcast in group rooms (our
 * rooms are group rooms), which every browser we support sends and receives, Safari included since
 * 12.1. H.264 in a group room would give up simulcast and leave out Firefox builds without the
 * OpenH264 plug-in; the SFU does not transcode, so one codec for everyone is the safe choice.
 * 'auto' cannot be combined with maxVideoBitrate, which we do not set.
 */
export const PREFERRED_VIDEO_CODECS = 'auto';

/**
 * Twilio Video. The SDK is loaded only here, on the call page, only for this provider. Twilio keeps
 * the media connection alive through network changes itself; after a page reload the page asks for a
 * fresh token and joins again with the same identity, which makes Twilio drop the stale participant.
 * Closing or leaving the page disconnects at once, so no ghost participant is left behind.
 */
export async function startTwilioCall(
  appointmentId: string,
  join: TwilioJoin,
  loadVideo: () => Promise<VideoModule> = () => import('twilio-video'),
): Promise<CallSession> {
  const Video = await loadVideo();
  const [state, setState] = createSignal<CallState>('connecting');
  const [localStream, setLocalStream] = createSignal<MediaStream>();
  const [remoteStream, setRemoteStream] = createSignal<MediaStream>();
  const [remoteScreen, setRemoteScreen] = createSignal<MediaStream>();
  const [ending, setEnding] = createSignal<CallEnding>();
  const [quality, setQuality] = createSignal<Quality>('unknown');
  const media = createMediaState(appointmentId);
  const { micOn, setMicOn, cameraOn, setCameraOn, sharing, setSharing } = media;
  // Who is who (Twilio identities are our participant ids), from our own channel's call frames.
  const [self, setSelf] = createSignal<CallParticipant>();
  const [roster, setRoster] = createSignal<Readonly<Record<string, CallParticipant>>>({});
  const announceMedia = media.announce;

  let tracks: LocalTrack[] = await Video.createLocalTracks({ audio: true, video: CAMERA });
  const localMedia = () =>
    new MediaStream(tracks.flatMap((t) => (t.kind === 'data' ? [] : [t.mediaStreamTrack])));
  setLocalStream(localMedia());
  let left = false;
  // A restarted track (by us after a device change, or by the SDK after iOS stopped it in the
  // background) has a new MediaStreamTrack: the preview follows.
  const follow = (track: LocalTrack) => {
    if (track.kind !== 'data') track.on('started', () => !left && setLocalStream(localMedia()));
  };
  tracks.forEach(follow);

  let room: import('twilio-video').Room;
  try {
    room = await Video.connect(join.token, {
      name: join.roomName,
      tracks,
      networkQuality: { local: 1, remote: 1 },
      preferredVideoCodecs: PREFERRED_VIDEO_CODECS,
    });
  } catch (err) {
    // The camera light goes off when the call could not start.
    tracks.forEach(stopTrack);
    throw err;
  }
  let screen: import('twilio-video').LocalVideoTrack | undefined;
  // The room's own word on recording, not the consents: a rules update that failed, or a room
  // re-created with recording on, shows as it is.
  const [recording, setRecording] = createSignal(room.isRecording);
  room.on('recordingStarted', () => setRecording(true));
  room.on('recordingStopped', () => setRecording(false));

  // Every remote track by its sid, with whose it is: a participant replaced after a reload (same
  // identity) leaves without taking the new one's tracks along.
  const remoteTracks = new Map<string, { owner: string; identity: string; track: RemoteTrack }>();
  const [others, setOthers] = createSignal<CallRemote[]>([]);
  /**
   * The counterpart's camera and microphone in the large video; anyone the roster says is someone
   * else (a guest; for a guest, the patient) in a tile of their own; every screen share apart.
   */
  const publishRemote = () => {
    const me = self();
    const isOther = (identity: string) => {
      const who = roster()[identity];
      return !!me && !!who && who.role !== counterpartRole(me.role);
    };
    const list = [...remoteTracks.values()];
    const of = (screenShare: boolean, owner: (identity: string) => boolean) =>
      list.flatMap(({ identity, track: t }) =>
        t.kind !== 'data' && (t.name === SCREEN) === screenShare && owner(identity)
          ? [t.mediaStreamTrack]
          : [],
      );
    const stream = (tracks: MediaStreamTrack[]) => (tracks.length ? new MediaStream(tracks) : undefined);
    setRemoteStream(stream(of(false, (id) => !isOther(id))));
    setRemoteScreen(stream(of(true, () => true)));
    const ids = [...new Set(list.map((r) => r.identity))].filter(isOther);
    setOthers(
      ids.map((id) => {
        const tile = stream(of(false, (owner) => owner === id));
        return { participant: roster()[id]!, stream: () => tile, media: () => media.mediaOf(id) };
      }),
    );
  };
  const addRemote = (participant: RemoteParticipant, track: RemoteTrack) => {
    if (track.kind === 'data') return;
    remoteTracks.set(track.sid, { owner: participant.sid, identity: participant.identity, track });
    publishRemote();
  };

  const attachParticipant = (participant: RemoteParticipant) => {
    participant.on('trackSubscribed', (track: RemoteTrack) => addRemote(participant, track));
    participant.on('trackUnsubscribed', (track: RemoteTrack) => {
      remoteTracks.delete(track.sid);
      publishRemote();
    });
    participant.on('networkQualityLevelChanged', (level: number | null) => {
      setQuality(level === null ? 'unknown' : level >= 4 ? 'good' : level >= 2 ? 'fair' : 'poor');
    });
    // Tracks subscribed while the participant was being set up fired before these listeners existed.
    participant.tracks.forEach((publication) => {
      if (publication.track) addRemote(participant, publication.track);
    });
    setState('connected');
  };
  room.participants.forEach(attachParticipant);
  if (room.participants.size === 0) setState('waiting-for-peer');
  room.on('participantConnected', attachParticipant);
  room.on('participantDisconnected', (participant: RemoteParticipant) => {
    for (const [sid, r] of remoteTracks) if (r.owner === participant.sid) remoteTracks.delete(sid);
    publishRemote();
    if (room.participants.size === 0) setState('waiting-for-peer');
  });
  room.on('reconnecting', () => setState('reconnecting'));
  room.on('reconnected', () => setState(room.participants.size ? 'connected' : 'waiting-for-peer'));
  room.on('disconnected', (_room: unknown, error?: { code?: number }) => {
    if (left) return;
    const end = endingOf(error);
    release();
    setEnding(end);
    setState(end.reason === 'left' || end.reason === 'completed' ? 'ended' : 'failed');
  });

  const offFrame = realtime.onFrame((frame: ServerFrame) => {
    if (!('appointmentId' in frame) || frame.appointmentId !== appointmentId) return;
    media.receive(frame);
    if (frame.type === 'call.joined') {
      setSelf(frame.you);
      setRoster((all) => ({ ...all, ...Object.fromEntries(frame.participants.map((p) => [p.id, p])) }));
      publishRemote();
    }
    if (frame.type === 'peer' && frame.event === 'joined') {
      setRoster((all) => ({ ...all, [frame.participant.id]: frame.participant }));
      publishRemote();
    }
    if (frame.type === 'call.ended') leave();
  });
  const offOpen = realtime.onOpen(() => {
    realtime.send({ action: WsAction.callJoin, appointmentId });
    announceMedia();
  });
  // A reload or a closed tab disconnects now rather than when Twilio notices the silence.
  const onPageHide = () => leave('closed');
  window.addEventListener('pagehide', onPageHide);
  // Back from the background, mobile Safari's media may have gone quiet: the SDK restarts what it
  // created. A track whose device was unplugged restarts on the same device if it is back, else on
  // the default one.
  const stopRefresh = watchMediaRefresh((reason) => {
    if (left) return;
    if (reason === 'foreground') {
      room.refreshInactiveMedia();
      return;
    }
    for (const track of tracks) {
      if (track.kind === 'data' || track.mediaStreamTrack.readyState !== 'ended') continue;
      void withDefaultDevice(
        () => track.restart(),
        () => track.restart(track.kind === 'video' ? CAMERA : {}),
      ).catch(() => undefined);
    }
  });

  /** Lets go of the camera, the microphone and every listener; once. */
  function release() {
    left = true;
    offFrame();
    offOpen();
    window.removeEventListener('pagehide', onPageHide);
    stopRefresh();
    tracks.forEach(stopTrack);
    screen?.stop();
    // Out of the room, nothing of ours is being recorded.
    setRecording(false);
  }

  function leave(reason?: 'left' | 'closed') {
    if (left) return;
    release();
    realtime.send({ action: WsAction.callLeave, appointmentId, ...(reason ? { reason } : {}) });
    room.disconnect();
    setEnding({ reason: 'left' });
    setState('ended');
  }

  const call: CallSession = {
    state,
    localStream,
    remoteStream,
    remoteScreen,
    remoteMedia: () => {
      const me = self();
      const id = me && Object.values(roster()).find((p) => p.role === counterpartRole(me.role))?.id;
      return media.mediaOf(id);
    },
    others,
    quality,
    ending,
    recording,
    micOn,
    cameraOn,
    sharing,
    async readCounters() {
      return countersFromTwilioStats(await room.getStats(), performance.now());
    },
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
      if (left) {
        next.stop();
        return;
      }
      // The new device starts as muted or as dark as the one it replaces.
      if (!(kind === 'audioinput' ? micOn() : cameraOn())) next.disable();
      const old = tracks.find((t) => t.kind === next.kind);
      if (old && old.kind !== 'data') {
        room.localParticipant.unpublishTrack(old);
        old.stop();
      }
      await room.localParticipant.publishTrack(next);
      follow(next);
      tracks = [...tracks.filter((t) => t !== old), next];
      setLocalStream(localMedia());
    },
    async shareScreen(on) {
      if (on && !screen) {
        const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
        const track = display.getVideoTracks()[0];
        if (!track) return;
        screen = new Video.LocalVideoTrack(track, { name: SCREEN });
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
