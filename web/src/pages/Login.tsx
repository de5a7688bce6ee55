import { A, useNavigate } from '@solidjs/router';
import { createSignal, Match, onMount, Show, Switch } from 'solid-js';
import * as v from 'valibot';
import { fieldErrors, Password } from '../../../shared/schemas';
import { AuthError, cognitoLibrary, EmailNotConfirmed, signedOutNotice, signIn } from '../auth';
import { ConfirmEmailStep } from '../components/ConfirmEmailStep';
import { codeError, Field, FormError } from '../components/Field';
import { PasswordField } from '../components/PasswordField';
import { confirmationError } from '../password-checklist';
import { usePractice } from '../practice';
import { loadSession, startFor } from '../session';

export default function Login() {
  const navigate = useNavigate();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [complete, setComplete] = createSignal<(password: string) => Promise<void>>();
  const [newPassword, setNewPassword] = createSignal('');
  const [confirmNewPassword, setConfirmNewPassword] = createSignal('');
  const [submitCode, setSubmitCode] = createSignal<(code: string) => Promise<void>>();
  const [code, setCode] = createSignal('');
  const [unconfirmed, setUnconfirmed] = createSignal(false);
  const practice = usePractice();

  onMount(async () => {
    const existing = await loadSession().catch(() => undefined);
    if (existing) navigate(startFor(existing), { replace: true });
  });

  const enter = async () => {
    const me = await loadSession();
    if (!me) throw new AuthError('Signed in, but your profile could not be loaded.');
    navigate(startFor(me), { replace: true });
  };

  /** Signs in with the email and password entered, then takes whichever step Cognito asks for next. */
  const proceed = async () => {
    const result = await signIn(email(), password());
    if (result.kind === 'newPasswordRequired') {
      setComplete(() => result.complete);
      return;
    }
    if (result.kind === 'totpRequired') {
      setSubmitCode(() => result.submit);
      return;
    }
    await enter();
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const found: Record<string, string> = {};
    if (!email().trim()) found.email = 'Enter your email';
    if (!password()) found.password = 'Enter your password';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await proceed();
    } catch (err) {
      // An account whose email was never confirmed gets the "Check your email" step instead.
      if (err instanceof EmailNotConfirmed) setUnconfirmed(true);
      else setFormError(err instanceof Error ? err.message : 'Sign-in failed');
    } finally {
      setBusy(false);
    }
  };

  const submitNewPassword = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const parsed = v.safeParse(Password, newPassword());
    if (!parsed.success) {
      setErrors({ newPassword: Object.values(fieldErrors(parsed.issues))[0] ?? 'Choose another password' });
      document.getElementById('field-newPassword')?.focus();
      return;
    }
    const mismatch = confirmationError(newPassword(), confirmNewPassword());
    if (mismatch) {
      setErrors({ confirmNewPassword: mismatch });
      document.getElementById('field-confirmNewPassword')?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await complete()!(newPassword());
      await enter();
    } catch (err) {
      setFormError(err instanceof Error ? err.message : 'Could not set the password');
    } finally {
      setBusy(false);
    }
  };

  const submitTotp = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const problem = codeError(code());
    setErrors(problem ? { code: problem } : {});
    if (problem) return;
    setBusy(true);
    try {
      await submitCode()!(code());
      await enter();
    } catch (err) {
      setCode('');
      setFormError(err instanceof Error ? err.message : 'That code did not work');
    } finally {
      setBusy(false);
    }
  };

  const startAgain = () => {
    setSubmitCode(undefined);
    setCode('');
    setPassword('');
    setFormError(undefined);
    setErrors({});
  };

  return (
    <section class="card narrow">
      <Show when={unconfirmed()}>
        <ConfirmEmailStep
          email={email().trim().toLowerCase()}
          onConfirmed={async () => {
            setUnconfirmed(false);
            await proceed();
          }}
        />
      </Show>
      <Switch>
        <Match when={submitCode()}>
          <form onSubmit={submitTotp} novalidate>
            <h1>Enter your sign-in code</h1>
            <p>
              Open your authenticator app and enter the 6-digit code it shows for{' '}
              {practice()?.name ?? 'this site'}.
            </p>
            <FormError message={formError()} />
            <Field
              label="6-digit code"
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength={6}
              autofocus
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
              error={errors().code}
            />
            <button type="submit" disabled={busy()}>
              {busy() ? 'Checking…' : 'Verify and sign in'}
            </button>
            <p class="links">
              <button type="button" class="link-button" onClick={startAgain}>
                Start again with your password
              </button>
            </p>
          </form>
        </Match>
        <Match when={complete()}>
          <form onSubmit={submitNewPassword} novalidate>
            <h1>Choose your password</h1>
            <p>This is your first sign-in. Replace the temporary password with one only you know.</p>
            <FormError message={formError()} />
            <PasswordField
              label="New password"
              name="newPassword"
              autocomplete="new-password"
              checklist
              value={newPassword()}
              onInput={setNewPassword}
              error={errors().newPassword}
            />
            <PasswordField
              label="Confirm new password"
              name="confirmNewPassword"
              autocomplete="new-password"
              value={confirmNewPassword()}
              onInput={setConfirmNewPassword}
              error={errors().confirmNewPassword}
            />
            <button type="submit" disabled={busy()}>
              {busy() ? 'Saving…' : 'Save password and continue'}
            </button>
          </form>
        </Match>
        <Match when={true}>
          {/* The sign-in code downloads while the user types, not with the page. */}
          <form
            onSubmit={submit}
            onFocusIn={() => void cognitoLibrary().catch(() => undefined)}
            novalidate
            hidden={unconfirmed()}
          >
            <h1>Sign in</h1>
            <Show when={signedOutNotice()}>
              {(notice) => (
                <p class="notice" role="status">
                  {notice()}
                </p>
              )}
            </Show>
            <FormError message={formError()} />
            <Field
              label="Email"
              name="email"
              type="email"
              autocomplete="username"
              value={email()}
              onInput={(e) => setEmail(e.currentTarget.value)}
              error={errors().email}
            />
            <PasswordField
              label="Password"
              name="password"
              autocomplete="current-password"
              value={password()}
              onInput={setPassword}
              error={errors().password}
            />
            <button type="submit" disabled={busy()}>
              {busy() ? 'Signing in…' : 'Sign in'}
            </button>
            <p class="links">
              <A href="/forgot-password">Forgot password?</A>
              <span aria-hidden="true"> · </span>
              <A href="/register">New patient? Create an account</A>
            </p>
          </form>
        </Match>
      </Switch>
    </section>
  );
}
