import { A, useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import * as v from 'valibot';
import { Email, fieldErrors, Password } from '../../../shared/schemas';
import { confirmPasswordReset, requestPasswordReset } from '../auth';
import { Field, FormError } from '../components/Field';
import { PasswordField } from '../components/PasswordField';
import { confirmationError } from '../password-checklist';

export default function ForgotPassword() {
  const navigate = useNavigate();
  const [email, setEmail] = createSignal('');
  const [code, setCode] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [confirmPassword, setConfirmPassword] = createSignal('');
  const [codeSent, setCodeSent] = createSignal(false);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const run = async (work: () => Promise<void>) => {
    setFormError(undefined);
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setFormError(err instanceof Error ? err.message : 'Something went wrong');
    } finally {
      setBusy(false);
    }
  };

  const sendCode = (e: SubmitEvent) => {
    e.preventDefault();
    const parsed = v.safeParse(Email, email());
    if (!parsed.success) return setErrors({ email: Object.values(fieldErrors(parsed.issues))[0]! });
    setErrors({});
    void run(async () => {
      await requestPasswordReset(parsed.output);
      setCodeSent(true);
    });
  };

  const reset = (e: SubmitEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!/^\d{6}$/.test(code().trim())) found.code = 'Enter the 6-digit code';
    const parsed = v.safeParse(Password, password());
    if (!parsed.success) found.password = Object.values(fieldErrors(parsed.issues))[0]!;
    else {
      const mismatch = confirmationError(password(), confirmPassword());
      if (mismatch) found.confirmPassword = mismatch;
    }
    setErrors(found);
    const first = ['code', 'password', 'confirmPassword'].find((name) => found[name]);
    if (first) return document.getElementById(`field-${first}`)?.focus();
    void run(async () => {
      await confirmPasswordReset(email(), code(), password());
      navigate('/login?reset=1', { replace: true });
    });
  };

  return (
    <section class="card narrow">
      <Show
        when={codeSent()}
        fallback={
          <form onSubmit={sendCode} novalidate>
            <h1>Reset your password</h1>
            <p>We will send a code to your email address if it belongs to an account.</p>
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
            <button type="submit" disabled={busy()}>
              {busy() ? 'Sending…' : 'Send code'}
            </button>
            <p class="links">
              <A href="/login">Back to sign in</A>
            </p>
          </form>
        }
      >
        <form onSubmit={reset} novalidate>
          <h1>Enter the code</h1>
          <p role="status">If the address has an account, a code is on its way.</p>
          <FormError message={formError()} />
          <Field
            label="Code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            value={code()}
            onInput={(e) => setCode(e.currentTarget.value)}
            error={errors().code}
          />
          <PasswordField
            label="New password"
            name="password"
            autocomplete="new-password"
            checklist
            value={password()}
            onInput={setPassword}
            error={errors().password}
          />
          <PasswordField
            label="Confirm new password"
            name="confirmPassword"
            autocomplete="new-password"
            value={confirmPassword()}
            onInput={setConfirmPassword}
            error={errors().confirmPassword}
          />
          <button type="submit" disabled={busy()}>
            {busy() ? 'Saving…' : 'Set new password'}
          </button>
        </form>
      </Show>
    </section>
  );
}
