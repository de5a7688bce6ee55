import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { usePractice } from '../practice';
import { renderSVG } from 'uqr';
import { finishTotpEnrolment, startTotpEnrolment } from '../auth';
import { codeError, Field, FormError, Loading } from './Field';

/** Groups of four, as authenticator apps show keys; easier to type by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * Enrols an authenticator app: scan the QR code (or type the key), then enter the first code it
 * shows. On success TOTP is the user's second sign-in step and their session carries it.
 */
export function TotpEnrolment(props: { email: string; onDone: () => void | Promise<void> }) {
  const practice = usePractice();
  const [enrolment, { refetch }] = createResource(() => startTotpEnrolment(props.email));
  const [code, setCode] = createSignal('');
  const [fieldError, setFieldError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [copied, setCopied] = createSignal(false);

  const copy = async (secret: string) => {
    await navigator.clipboard?.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const problem = codeError(code());
    setFieldError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await finishTotpEnrolment(code());
      await props.onDone();
    } catch (err) {
      setFormError(err instanceof Error ? err.message : 'That did not work. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Switch>
      <Match when={enrolment.loading}>
        <Loading label="Preparing your key…" />
      </Match>
      <Match when={enrolment.error}>
        <FormError message="We could not start the set-up. Check your connection and try again." />
        <button type="button" onClick={() => void refetch()}>
          Try again
        </button>
      </Match>
      <Match when={enrolment()}>
        {(ready) => (
          <form class="totp-enrolment" onSubmit={submit} novalidate>
            <ol class="steps">
              <li>
                Open an authenticator app on your phone (for example Google Authenticator, Microsoft
                Authenticator or 1Password) and scan this code.
                <div
                  class="qr"
                  role="img"
                  aria-label="QR code with your sign-in key for the authenticator app"
                  innerHTML={renderSVG(ready().uri)}
                />
              </li>
              <li>
                Cannot scan it? Enter this key in the app instead:
                <p class="secret">
                  <code aria-label="Sign-in key" data-testid="totp-secret">
                    {grouped(ready().secret)}
                  </code>
                  <button type="button" class="secondary small" onClick={() => void copy(ready().secret)}>
                    {copied() ? 'Copied' : 'Copy key'}
                  </button>
                </p>
              </li>
              <li>Enter the 6-digit code the app now shows for {practice()?.name ?? 'this site'}.</li>
            </ol>
            <FormError message={formError()} />
            <Field
              label="6-digit code"
              name="totpCode"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength={6}
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
              error={fieldError()}
            />
            <button type="submit" disabled={busy()}>
              {busy() ? 'Checking…' : 'Turn on two-step sign-in'}
            </button>
            <Show when={busy()}>
              <p class="hint" role="status">
                Checking the code with your app…
              </p>
            </Show>
          </form>
        )}
      </Match>
    </Switch>
  );
}
