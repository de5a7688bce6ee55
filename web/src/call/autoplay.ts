import { createSignal, onCleanup } from 'solid-js';
import { watchMediaRefresh } from './media-refresh';

/**
 * Playing the other side's video with its sound. Browsers may refuse to start sound without a tap
 * (iOS Safari, and Chrome without earlier interaction): play() then rejects with NotAllowedError. The
 * video then plays muted, so the picture still shows, and the page offers "Tap to turn on sound"
 * rather than failing silently. Both engines hand the page a MediaStream, so this one place covers
 * both.
 */
export interface PlayableLike {
  muted: boolean;
  play(): Promise<void>;
}

const refused = (err: unknown) => (err as { name?: string } | undefined)?.name === 'NotAllowedError';

/**
 * Starts the element; returns whether sound still needs a tap. Once sound was refused the element
 * stays muted until the tap, so a new stream or a return from the background does not try again
 * without one.
 */
export async function playRemote(element: PlayableLike, soundBlocked: boolean): Promise<boolean> {
  if (!soundBlocked) {
    try {
      await element.play();
      return false;
    } catch (err) {
      // Anything else (an AbortError when the stream changes mid-start) is not about sound.
      if (!refused(err)) return false;
    }
  }
  element.muted = true;
  await element.play().catch(() => undefined);
  return true;
}

/** The tap: sound on; returns whether it is still blocked (the browser refused even so). */
export async function turnOnSound(element: PlayableLike): Promise<boolean> {
  element.muted = false;
  try {
    await element.play();
    return false;
  } catch (err) {
    if (!refused(err)) return false;
    element.muted = true;
    await element.play().catch(() => undefined);
    return true;
  }
}

/**
 * For a component: plays the remote element (with sound where allowed) whenever it gets a stream,
 * and again when the page returns from the background, where iOS pauses video elements.
 */
export function createRemotePlayback() {
  const [soundBlocked, setSoundBlocked] = createSignal(false);
  let element: PlayableLike | undefined;
  const play = async () => {
    if (element) setSoundBlocked(await playRemote(element, soundBlocked()));
  };
  onCleanup(watchMediaRefresh((reason) => reason === 'foreground' && void play()));
  return {
    soundBlocked,
    /** The element has a new stream (or none: then there is nothing to play). */
    attach(el: PlayableLike, hasStream: boolean) {
      element = el;
      if (hasStream) void play();
    },
    async turnOnSound() {
      if (element) setSoundBlocked(await turnOnSound(element));
    },
  };
}
