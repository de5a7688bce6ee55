import { createSignal, onMount } from 'solid-js';
import { confirmEmail, resendEmailCode } from '../signup';
import { Field, FormError } from './Field';

/**
 * "Check your email": the code Cognito mailed at sign-up confirms the address, then `onConfirmed`
 * signs the patient in. Used after registering and when an unconfirmed account tries to sign in.
 */
export function ConfirmEmailStep(props: { email: string; onConfirmed: () => Promise<void> }) {
  const [code, setCode] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [status, setStatus] = createSignal('');
  const [busy, setBusy] = createSignal<'confirm' | 'resend'>();

  // The step replaces the form the user was in: move focus to it so screen readers announce it.
  onMount(() => document.getElementById('confirm-email-title')?.focus());

  const confirm = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    setStatus('');
    if (!/^\d{6}$/.test(code().trim())) {
      setError('Enter the 6-digit code from the email');
      document.getElementById('field-emailCode')?.focus();
      return;
    }
    setError(undefined);
    setBusy('confirm');
    try {
      await confirmEmail(props.email, code());
      setStatus('Email confirmed. Signing you in…');
      await props.onConfirmed();
    } catch (err) {
      setFormError(err instanceof Error ? err.message : 'The code could not be checked. Try again.');
    } finally {
      setBusy(undefined);
    }
  };

  const resend = async () => {
    setFormError(undefined);
    setStatus('');
    setBusy('resend');
    try {
      await resendEmailCode(props.email);
      setCode('');
      setStatus('We sent a new code. Codes sent earlier no longer work.');
    } catch (err) {
      setFormError(err instanceof Error ? err.message : 'A new code could not be sent. Try again.');
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <form onSubmit={confirm} novalidate>
      <h1 id="confirm-email-title" tabindex="-1">
        Check your email
      </h1>
      <p>
        We sent a 6-digit code to <strong>{props.email}</strong>. Enter it to confirm your address. It can
        take a minute to arrive; check your spam folder too.
      </p>
      <FormError message={formError()} />
      <Field
        label="Code from the email"
        name="emailCode"
        inputmode="numeric"
        autocomplete="one-time-code"
        maxlength={6}
        value={code()}
        onInput={(e) => setCode(e.currentTarget.value)}
        error={error()}
      />
      <button type="submit" disabled={!!busy()}>
        {busy() === 'confirm' ? 'Confirming…' : 'Confirm email'}
      </button>
      <p class="hint" role="status">
        {busy() === 'resend' ? 'Sending a new code…' : status()}
      </p>
      <p class="links">
        No email?{' '}
        <button type="button" class="link-button" disabled={!!busy()} onClick={() => void resend()}>
          Send a new code
        </button>
      </p>
    </form>
  );
}
