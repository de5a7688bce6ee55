import { A, useNavigate } from '@solidjs/router';
import { onMount, Show } from 'solid-js';
import { ContactLinks } from '../components/PracticeContact';
import { usePractice } from '../practice';
import { loadSession, startFor } from '../session';

/**
 * The front door: whose service this is, what it does, how to sign in or register, and how to reach
 * the practice. Everything named here comes from the practice configuration (config.json).
 */
export default function Landing() {
  const navigate = useNavigate();
  const practice = usePractice();
  onMount(async () => {
    const existing = await loadSession().catch(() => undefined);
    if (existing) navigate(startFor(existing), { replace: true });
  });
  return (
    <Show when={practice()} fallback={<section class="card landing" aria-busy="true" />}>
      {(p) => (
        <section class="card landing" aria-labelledby="landing-title">
          <div class="landing-brand">
            <img src={p().logoUrl} alt="" width="64" height="64" />
            <div>
              <h1 id="landing-title">{p().name}</h1>
              <Show when={p().tagline}>{(tagline) => <p class="lead">{tagline()}</p>}</Show>
            </div>
          </div>
          <p>
            See your doctor by secure video from your phone or computer. Book a time that suits you, check in
            from 15 minutes before, and talk to your doctor face to face — with chat beside the video and the
            summary of your visit afterwards.
          </p>
          <div class="button-row">
            <A href="/login" class="button">
              Sign in
            </A>
            <A href="/register" class="button secondary">
              Create an account
            </A>
          </div>
          <p class="hint">
            Video visits are not for emergencies. In an emergency, call your local emergency number.
          </p>
          <h2>Contact {p().name}</h2>
          <p>
            <ContactLinks practice={p()} />
            <Show when={p().hours}>{(hours) => <> Phone lines: {hours()}.</>}</Show>
          </p>
          <address>
            {p().address.map((line) => (
              <>
                {line}
                <br />
              </>
            ))}
          </address>
        </section>
      )}
    </Show>
  );
}
