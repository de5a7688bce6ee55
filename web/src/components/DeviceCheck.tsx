import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import type { DeviceCheck as DeviceCheckResult } from '../../../shared/live';
import { getLocalMedia, mediaErrorMessage } from '../call/media';
import { browserSupport } from '../call/support';
import { UnsupportedBrowser } from './UnsupportedBrowser';

/**
 * Camera preview, microphone level meter, speaker test and browser support, before check-in.
 * Reports what works; the patient may continue with a failed check (the doctor sees it). A browser
 * that cannot make calls gets the page saying which browser to use instead, and no camera check.
 */
export function DeviceCheck(props: { onResult: (result: DeviceCheckResult) => void }) {
  const [stream, setStream] = createSignal<MediaStream>();
  const [mediaError, setMediaError] = createSignal<string>();
  const [level, setLevel] = createSignal(0);
  const [heardMic, setHeardMic] = createSignal(false);
  const [speakerOk, setSpeakerOk] = createSignal<boolean>();
  const support = browserSupport();
  const supported = support.supported;
  let video: HTMLVideoElement | undefined;
  let audioContext: AudioContext | undefined;
  let frame = 0;

  const report = () =>
    props.onResult({
      camera: !!stream()?.getVideoTracks().length,
      microphone: heardMic() || !!stream()?.getAudioTracks().length,
      speaker: speakerOk() === true,
      browserSupported: supported,
    });

  onMount(async () => {
    if (!supported) return report();
    try {
      const media = await getLocalMedia();
      setStream(media);
      if (video) video.srcObject = media;
      audioContext = new AudioContext();
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 512;
      audioContext.createMediaStreamSource(media).connect(analyser);
      const samples = new Uint8Array(analyser.fftSize);
      const tick = () => {
        analyser.getByteTimeDomainData(samples);
        let peak = 0;
        for (const s of samples) peak = Math.max(peak, Math.abs(s - 128));
        const value = Math.min(100, Math.round((peak / 128) * 200));
        setLevel(value);
        if (value > 4 && !heardMic()) {
          setHeardMic(true);
          report();
        }
        frame = requestAnimationFrame(tick);
      };
      tick();
    } catch (err) {
      setMediaError(mediaErrorMessage(err));
    }
    report();
  });

  onCleanup(() => {
    cancelAnimationFrame(frame);
    void audioContext?.close();
    stream()
      ?.getTracks()
      .forEach((t) => t.stop());
  });

  const playTone = () => {
    const ctx = new AudioContext();
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.1;
    oscillator.frequency.value = 440;
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start();
    oscillator.stop(ctx.currentTime + 0.8);
    oscillator.onended = () => void ctx.close();
  };

  return (
    <Show when={supported} fallback={<UnsupportedBrowser support={support} heading="h3" />}>
      <div class="device-check">
        <div class="device-grid">
          <figure class="preview">
            <video ref={(el) => (video = el)} autoplay playsinline muted aria-label="Your camera preview" />
            <figcaption>Camera preview</figcaption>
          </figure>
          <div>
            <Show when={mediaError()}>
              <p class="error" role="alert">
                {mediaError()}
              </p>
            </Show>
            <p id="mic-label">Microphone level — say something</p>
            <meter
              class="mic-meter"
              min="0"
              max="100"
              low={10}
              optimum={60}
              value={level()}
              aria-labelledby="mic-label"
            />
            <p class="hint">{heardMic() ? 'We can hear you.' : 'Waiting to hear your microphone…'}</p>
            <p>Speakers</p>
            <div class="button-row">
              <button type="button" class="secondary" onClick={playTone}>
                Play test sound
              </button>
              <button
                type="button"
                class="secondary"
                aria-pressed={speakerOk() === true}
                onClick={() => {
                  setSpeakerOk(true);
                  report();
                }}
              >
                I heard it
              </button>
            </div>
            <ul class="checklist" aria-label="Device check results">
              <li classList={{ ok: !!stream()?.getVideoTracks().length }}>
                Camera {stream()?.getVideoTracks().length ? 'works' : 'not available'}
              </li>
              <li classList={{ ok: heardMic() }}>Microphone {heardMic() ? 'works' : 'not heard yet'}</li>
              <li classList={{ ok: speakerOk() === true }}>
                Speakers {speakerOk() ? 'work' : 'not confirmed'}
              </li>
              <li class="ok">Browser supported</li>
            </ul>
          </div>
        </div>
      </div>
    </Show>
  );
}
