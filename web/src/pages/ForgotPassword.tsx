import { A, useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import * as v from 'valibot';
import { Email, fieldErrors, Password } from '../../../shared/schemas';
import { confirmPasswordReset, requestPasswordReset } from '../auth';
import { Field, FormError } from '../components/Field';

export default function ForgotPassword() {
  const navigate = useNavigate();
  const [email, setEmail] = createSignal('');
  const [code, setCode] = createSignal('');
  const [password, setPassword] = createSignal('');
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
    setErrors(found);
    if (Object.keys(found).length) return;
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
          <Field
            label="New password"
            name="password"
            type="password"
            autocomplete="new-password"
            hint="At least 12 characters with upper- and lowercase letters and a digit"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            error={errors().password}
          />
          <button type="submit" disabled={busy()}>
            {busy() ? 'Saving…' : 'Set new password'}
          </button>
        </form>
      </Show>
    </section>
  );
}
