import { describe, expect, it } from 'vitest';
import { playRemote, turnOnSound } from './autoplay';

/** A video element whose browser allows sound only after a tap, as iOS Safari does. */
class FakeVideo {
  muted = false;
  playing = false;
  tapped = false;
  constructor(private readonly failure?: string) {}
  play() {
    if (this.failure && this.failure !== 'NotAllowedError')
      return Promise.reject(new DOMException('x', this.failure));
    if (!this.muted && !this.tapped && this.failure === 'NotAllowedError')
      return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    this.playing = true;
    return Promise.resolve();
  }
}

describe('remote playback', () => {
  it('plays with sound where the browser allows it', async () => {
    const video = new FakeVideo();
    expect(await playRemote(video, false)).toBe(false);
    expect(video).toMatchObject({ playing: true, muted: false });
  });

  it('plays muted and asks for a tap when sound is refused', async () => {
    const video = new FakeVideo('NotAllowedError');
    expect(await playRemote(video, false)).toBe(true);
    // The picture shows; the sound waits for the tap.
    expect(video).toMatchObject({ playing: true, muted: true });
  });

  it('stays muted for a new stream until the tap, and the tap turns sound on', async () => {
    const video = new FakeVideo('NotAllowedError');
    await playRemote(video, false);
    expect(await playRemote(video, true)).toBe(true);
    expect(video.muted).toBe(true);
    video.tapped = true;
    expect(await turnOnSound(video)).toBe(false);
    expect(video).toMatchObject({ playing: true, muted: false });
  });

  it('keeps asking when the browser refuses even the tap', async () => {
    const video = new FakeVideo('NotAllowedError');
    await playRemote(video, false);
    expect(await turnOnSound(video)).toBe(true);
    expect(video.muted).toBe(true);
  });

  it('does not ask for a tap when play() fails for another reason (the stream changed mid-start)', async () => {
    const video = new FakeVideo('AbortError');
    expect(await playRemote(video, false)).toBe(false);
    expect(video.muted).toBe(false);
  });
});
