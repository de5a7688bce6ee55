import { createSignal, Match, Show, Switch } from 'solid-js';
import { turnOffTotp } from '../auth';
import { loadSession, profile, twoStepOn } from '../session';
import { FormError } from './Field';
import { TotpEnrolment } from './TotpEnrolment';

/** A patient's choice: sign in with a code from an authenticator app as well as the password. */
export function TwoStepSettings() {
  const [enrolling, setEnrolling] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [status, setStatus] = createSignal('');

  const enrolled = async () => {
    await loadSession();
    setEnrolling(false);
    setStatus('Two-step sign-in is on. Next time you sign in, have your authenticator app ready.');
  };

  const turnOff = async () => {
    setError(undefined);
    setBusy(true);
    try {
      await turnOffTotp();
      await loadSession();
      setStatus('Two-step sign-in is off.');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'It could not be turned off. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="two-step" aria-labelledby="two-step-title">
      <h3 id="two-step-title">Two-step sign-in</h3>
      <p class="hint">
        {twoStepOn()
          ? 'On: you sign in with your password and a code from your authenticator app.'
          : 'Off: add a code from an authenticator app to your password, so a stolen password is not enough.'}
      </p>
      <FormError message={error()} />
      <Switch>
        <Match when={enrolling()}>
          <TotpEnrolment email={profile()?.email ?? ''} onDone={enrolled} />
          <button type="button" class="secondary" onClick={() => setEnrolling(false)}>
            Cancel
          </button>
        </Match>
        <Match when={twoStepOn()}>
          <button type="button" class="secondary" disabled={busy()} onClick={() => void turnOff()}>
            {busy() ? 'Turning off…' : 'Turn off two-step sign-in'}
          </button>
        </Match>
        <Match when={true}>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setStatus('');
              setEnrolling(true);
            }}
          >
            Turn on two-step sign-in
          </button>
        </Match>
      </Switch>
      <Show when={status()}>
        <p class="hint" role="status">
          {status()}
        </p>
      </Show>
    </section>
  );
}
