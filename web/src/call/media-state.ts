import { createSignal } from 'solid-js';
import { WsAction, type ServerFrame } from '../../../shared/live';
import { realtime } from '../realtime';
import type { PeerMedia } from './types';

const ALL_ON: PeerMedia = { audio: true, video: true, screen: false };

/**
 * Mute, camera and screen-share state of this side and of every other participant (by id). It
 * travels over our own WebSocket channel, so both video providers show it the same way.
 */
export function createMediaState(appointmentId: string) {
  const [micOn, setMicOn] = createSignal(true);
  const [cameraOn, setCameraOn] = createSignal(true);
  const [sharing, setSharing] = createSignal(false);
  const [remote, setRemote] = createSignal<Readonly<Record<string, PeerMedia>>>({});
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
    /** The state participant `id` last announced (all on until they say otherwise). */
    mediaOf: (id: string | undefined): PeerMedia => (id !== undefined && remote()[id]) || ALL_ON,
    announce,
    /** Takes the peer's state from a frame of this call, and tells a newly joined peer ours. */
    receive(frame: ServerFrame) {
      if (frame.type === 'media')
        setRemote((all) => ({
          ...all,
          [frame.from]: { audio: frame.audio, video: frame.video, screen: frame.screen },
        }));
      if (frame.type === 'peer' && frame.event === 'joined') announce();
    },
  };
}
