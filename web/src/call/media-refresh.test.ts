import { describe, expect, it } from 'vitest';
import {
  replaceSenderTracks,
  restartEndedTracks,
  watchMediaRefresh,
  withDefaultDevice,
  type MediaRequest,
  type RefreshReason,
} from './media-refresh';

let nextId = 0;
class FakeTrack {
  readonly id = `track-${++nextId}`;
  readyState: 'live' | 'ended' = 'live';
  enabled = true;
  constructor(
    readonly kind: 'audio' | 'video',
    private readonly deviceId?: string,
  ) {}
  getSettings() {
    return this.deviceId ? { deviceId: this.deviceId } : {};
  }
  stop() {
    this.readyState = 'ended';
  }
}

/** getUserMedia over a set of plugged-in devices: an exact device that is not there is refused. */
function fakeOpen(devices: string[]) {
  const requests: MediaRequest[] = [];
  const open = (request: MediaRequest) => {
    requests.push(request);
    const out: FakeTrack[] = [];
    for (const kind of ['audio', 'video'] as const) {
      const wanted = request[kind];
      if (!wanted) continue;
      if (wanted.deviceId && !devices.includes(wanted.deviceId))
        return Promise.reject(new DOMException('gone', 'OverconstrainedError'));
      out.push(new FakeTrack(kind, wanted.deviceId ?? `default-${kind}`));
    }
    return Promise.resolve(out);
  };
  return { open, requests };
}

class FakeSender {
  constructor(public track: FakeTrack | null) {}
  replaceTrack(track: FakeTrack | null) {
    this.track = track;
    return Promise.resolve();
  }
}

describe('restarting ended tracks', () => {
  it('does nothing while every track is live', async () => {
    const { open, requests } = fakeOpen(['cam-1']);
    expect(
      await restartEndedTracks([new FakeTrack('audio'), new FakeTrack('video', 'cam-1')], open),
    ).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it('reopens only the camera iOS ended in the background, on the same camera, as dark as before', async () => {
    const mic = new FakeTrack('audio', 'mic-1');
    const camera = new FakeTrack('video', 'cam-1');
    camera.enabled = false;
    camera.readyState = 'ended';
    const { open, requests } = fakeOpen(['mic-1', 'cam-1']);
    const next = await restartEndedTracks([mic, camera], open);
    expect(requests).toEqual([{ video: { deviceId: 'cam-1' } }]);
    expect(next?.[0]).toBe(mic);
    expect(next?.[1]).toMatchObject({ kind: 'video', readyState: 'live', enabled: false });
    expect(next?.[1]?.getSettings().deviceId).toBe('cam-1');
  });

  it('falls back to the default device when the chosen one was unplugged', async () => {
    const headset = new FakeTrack('audio', 'headset');
    headset.readyState = 'ended';
    const { open, requests } = fakeOpen(['built-in-mic']);
    const next = await restartEndedTracks([headset, new FakeTrack('video')], open);
    expect(requests).toEqual([{ audio: { deviceId: 'headset' } }, { audio: {} }]);
    expect(next?.find((t) => t.kind === 'audio')?.getSettings().deviceId).toBe('default-audio');
  });

  it('passes on errors that are not about a missing device (permission withdrawn)', async () => {
    const camera = new FakeTrack('video', 'cam-1');
    camera.readyState = 'ended';
    const denied = () => Promise.reject(new DOMException('no', 'NotAllowedError'));
    await expect(restartEndedTracks([camera], denied)).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(withDefaultDevice(denied, () => Promise.resolve('default'))).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });
});

describe('replacing tracks on the senders', () => {
  it('puts the new tracks on the senders of their kind', async () => {
    const [oldMic, oldCam, newCam] = [new FakeTrack('audio'), new FakeTrack('video'), new FakeTrack('video')];
    const senders = [new FakeSender(oldMic), new FakeSender(oldCam)];
    await replaceSenderTracks(senders, [oldMic, newCam]);
    expect(senders.map((s) => s.track)).toEqual([oldMic, newCam]);
  });

  it('leaves a screen share on the video sender', async () => {
    const screen = new FakeTrack('video');
    const [mic, newCam] = [new FakeTrack('audio'), new FakeTrack('video')];
    const senders = [new FakeSender(mic), new FakeSender(screen)];
    await replaceSenderTracks(senders, [mic, newCam], { keepVideo: true });
    expect(senders[1]?.track).toBe(screen);
  });
});

describe('when to refresh', () => {
  const targets = () => ({
    window: new EventTarget(),
    document: Object.assign(new EventTarget(), { visibilityState: 'hidden' }),
    mediaDevices: new EventTarget(),
  });

  it('refreshes when the page is visible again, shown from the cache, or devices change; until stopped', () => {
    const t = targets();
    const seen: RefreshReason[] = [];
    const stop = watchMediaRefresh((r) => seen.push(r), t);
    t.document.dispatchEvent(new Event('visibilitychange'));
    expect(seen).toEqual([]);
    t.document.visibilityState = 'visible';
    t.document.dispatchEvent(new Event('visibilitychange'));
    t.window.dispatchEvent(new Event('pageshow'));
    t.mediaDevices.dispatchEvent(new Event('devicechange'));
    expect(seen).toEqual(['foreground', 'foreground', 'devicechange']);
    stop();
    t.document.dispatchEvent(new Event('visibilitychange'));
    t.mediaDevices.dispatchEvent(new Event('devicechange'));
    expect(seen).toHaveLength(3);
  });

  it('works in a browser without device-change events', () => {
    const t = { ...targets(), mediaDevices: {} };
    const seen: RefreshReason[] = [];
    const stop = watchMediaRefresh((r) => seen.push(r), t);
    t.window.dispatchEvent(new Event('pageshow'));
    stop();
    expect(seen).toEqual(['foreground']);
  });
});
