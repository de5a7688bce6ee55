import { createSignal } from 'solid-js';
import { WsAction, type ServerFrame } from '../../../shared/live';
import { realtime } from '../realtime';
import type { PeerMedia } from './types';

/**
 * Mute, camera and screen-share state of both sides. It travels over our own WebSocket channel, so
 * both video providers show the other side's state the same way.
 */
export function createMediaState(appointmentId: string) {
  const [micOn, setMicOn] = createSignal(true);
  const [cameraOn, setCameraOn] = createSignal(true);
  const [sharing, setSharing] = createSignal(false);
  const [remoteMedia, setRemoteMedia] = createSignal<PeerMedia>({ audio: true, video: true, screen: false });
  const announce = () =>
    realtime.send({
      action: WsAction.media,
      appointmentId,
      audio: micOn(),
      video: cameraOn(),
      screen: sharing(),
    });
  return {
    micOn,
    setMicOn,
    cameraOn,
    setCameraOn,
    sharing,
    setSharing,
    remoteMedia,
    announce,
    /** Takes the peer's state from a frame of this call, and tells a newly joined peer ours. */
    receive(frame: ServerFrame) {
      if (frame.type === 'media')
        setRemoteMedia({ audio: frame.audio, video: frame.video, screen: frame.screen });
      if (frame.type === 'peer' && frame.event === 'joined') announce();
    },
  };
}
