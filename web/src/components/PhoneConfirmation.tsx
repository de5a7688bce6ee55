import { createSignal, Show } from 'solid-js';
import { ApiError, client } from '../api';
import { errorMessage } from '../appointments';
import { profile, updateProfile } from '../session';
import { Field, FormError } from './Field';

/**
 * "Confirm your phone to get text reminders": texts go only to a number its owner confirmed with
 * a code we texted to it (POST /me/phone/verification, then /me/phone/verify).
 */
export function PhoneConfirmation() {
  const [sent, setSent] = createSignal(false);
  const [code, setCode] = createSignal('');
  const [fieldError, setFieldError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [status, setStatus] = createSignal('');
  const [busy, setBusy] = createSignal<'send' | 'verify'>();

  const send = async () => {
    setFormError(undefined);
    setFieldError(undefined);
    setBusy('send');
    try {
      await client.call('sendPhoneCode');
      setSent(true);
      setCode('');
      setStatus(`We texted a code to ${profile()?.phone ?? 'your phone'}. It expires in 10 minutes.`);
      queueMicrotask(() => document.getElementById('field-phoneCode')?.focus());
    } catch (err) {
      setStatus('');
      setFormError(errorMessage(err, 'The code could not be sent. Try again.'));
    } finally {
      setBusy(undefined);
    }
  };

  const verify = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    if (!/^\d{6}$/.test(code().trim())) {
      setFieldError('Enter the 6-digit code from the text');
      document.getElementById('field-phoneCode')?.focus();
      return;
    }
    setFieldError(undefined);
    setBusy('verify');
    try {
      const { profile: next } = await client.call('verifyPhone', { code: code().trim() });
      updateProfile(next);
      setStatus('');
    } catch (err) {
      if (err instanceof ApiError && err.fields.code) setFieldError(err.fields.code);
      else setFormError(errorMessage(err, 'The code could not be checked. Try again.'));
      // A locked, expired or replaced code cannot work any more: only a new one helps.
      if (err instanceof ApiError && err.status === 409) setCode('');
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section id="phone-confirmation" class="phone-confirmation" aria-labelledby="phone-confirmation-title">
      <h3 id="phone-confirmation-title">Confirm your phone to get text reminders</h3>
      <p class="hint">
        We text visit reminders only to a number you have confirmed, so they never reach someone else.
      </p>
      <FormError message={formError()} />
      <Show
        when={sent()}
        fallback={
          <button type="button" class="secondary" disabled={!!busy()} onClick={() => void send()}>
            {busy() === 'send' ? 'Sending…' : 'Text me a code'}
          </button>
        }
      >
        <form onSubmit={verify} novalidate>
          <Field
            label="Code from the text"
            name="phoneCode"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength={6}
            value={code()}
            onInput={(e) => setCode(e.currentTarget.value)}
            error={fieldError()}
          />
          <div class="button-row">
            <button type="submit" disabled={!!busy()}>
              {busy() === 'verify' ? 'Confirming…' : 'Confirm phone'}
            </button>
            <button type="button" class="link-button" disabled={!!busy()} onClick={() => void send()}>
              {busy() === 'send' ? 'Sending…' : 'Send a new code'}
            </button>
          </div>
        </form>
      </Show>
      <p class="hint" role="status">
        {status()}
      </p>
    </section>
  );
}
