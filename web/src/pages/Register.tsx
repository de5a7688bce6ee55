import { A, useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as v from 'valibot';
import { fieldErrors, RegisterPatientRequest } from '../../../shared/schemas';
import { ApiError, client } from '../api';
import { signIn } from '../auth';
import { ConfirmEmailStep } from '../components/ConfirmEmailStep';
import { Checkbox, Field, FormError } from '../components/Field';
import { SmsTerms } from '../components/SmsTerms';
import { loadSession } from '../session';

export default function Register() {
  const navigate = useNavigate();
  const [form, setForm] = createStore({
    name: '',
    email: '',
    password: '',
    phone: '',
    dateOfBirth: '',
    acceptTerms: false,
    acceptPrivacy: false,
    smsOptIn: false,
  });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  /** Set once the sign-up is sent: the email to confirm (the answer is the same for a taken one). */
  const [confirming, setConfirming] = createSignal<{ email: string; password: string }>();

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const parsed = v.safeParse(RegisterPatientRequest, { ...form });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.issues));
      const first = Object.keys(fieldErrors(parsed.issues))[0];
      document.getElementById(`field-${first}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await client.call('registerPatient', parsed.output);
      setConfirming({ email: parsed.output.email, password: parsed.output.password });
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setErrors(err.fields);
      else setFormError(err instanceof Error ? err.message : 'Registration failed');
    } finally {
      setBusy(false);
    }
  };

  const text = (name: 'name' | 'email' | 'password' | 'phone' | 'dateOfBirth') => ({
    name,
    value: form[name],
    onInput: (e: InputEvent & { currentTarget: HTMLInputElement }) => setForm(name, e.currentTarget.value),
    error: errors()[name],
  });
  const check = (name: 'acceptTerms' | 'acceptPrivacy' | 'smsOptIn') => ({
    name,
    checked: form[name],
    onChange: (e: Event & { currentTarget: HTMLInputElement }) => setForm(name, e.currentTarget.checked),
    error: errors()[name],
  });

  const enter = async () => {
    const { email, password } = confirming()!;
    await signIn(email, password);
    await loadSession();
    navigate('/patient', { replace: true });
  };

  return (
    <section class="card narrow">
      <Show when={confirming()} fallback={registrationForm()}>
        {(pending) => <ConfirmEmailStep email={pending().email} onConfirmed={enter} />}
      </Show>
    </section>
  );

  function registrationForm() {
    return (
      <form onSubmit={submit} novalidate>
        <h1>Create your patient account</h1>
        <p>Doctors get their accounts from the clinic; this form is for patients.</p>
        <FormError message={formError()} />
        <Field label="Full name" autocomplete="name" {...text('name')} />
        <Field label="Email" type="email" autocomplete="email" {...text('email')} />
        <Field
          label="Password"
          type="password"
          autocomplete="new-password"
          hint="At least 12 characters with upper- and lowercase letters and a digit"
          {...text('password')}
        />
        <Field
          label="Mobile number"
          type="tel"
          autocomplete="tel"
          inputmode="tel"
          hint="International format, e.g. +447700900123"
          {...text('phone')}
        />
        <Field label="Date of birth" type="date" autocomplete="bday" {...text('dateOfBirth')} />
        <Checkbox {...check('acceptTerms')}>
          I accept the <A href="/legal/terms">terms of service</A>
        </Checkbox>
        <Checkbox {...check('acceptPrivacy')}>
          I have read the <A href="/legal/privacy">privacy notice</A> and agree to the processing of my health
          data for my care
        </Checkbox>
        <Checkbox {...check('smsOptIn')} aria-describedby="sms-terms">
          Send me appointment text messages (optional)
        </Checkbox>
        <SmsTerms id="sms-terms" />
        <button type="submit" disabled={busy()}>
          {busy() ? 'Creating account…' : 'Create account'}
        </button>
        <p class="links">
          Already registered? <A href="/login">Sign in</A>
        </p>
      </form>
    );
  }
}
