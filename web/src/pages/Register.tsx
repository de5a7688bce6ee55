import { A, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as v from 'valibot';
import { countryFromLocale, phoneFromInput } from '../../../shared/phone';
import { fieldErrors, RegisterPatientRequest } from '../../../shared/schemas';
import { ApiError, client } from '../api';
import { signIn } from '../auth';
import { ConfirmEmailStep } from '../components/ConfirmEmailStep';
import { Checkbox, Field, FormError } from '../components/Field';
import { PasswordField } from '../components/PasswordField';
import { PhoneField } from '../components/PhoneField';
import { SmsTerms } from '../components/SmsTerms';
import { confirmationError } from '../password-checklist';
import { clearDraft, loadDraft, saveDraft } from '../register-draft';
import { loadSession } from '../session';

/** Fields in the order they are on screen: the first with an error gets the focus. */
const FIELD_ORDER = [
  'name',
  'email',
  'password',
  'confirmPassword',
  'phone',
  'dateOfBirth',
  'acceptTerms',
  'acceptPrivacy',
];

export default function Register() {
  const navigate = useNavigate();
  // What was typed before following the terms or privacy link comes back (never the password).
  const [form, setForm] = createStore({
    name: '',
    email: '',
    phone: '',
    phoneCountry: countryFromLocale(navigator.language),
    dateOfBirth: '',
    acceptTerms: false,
    acceptPrivacy: false,
    smsOptIn: false,
    ...loadDraft(),
  });
  createEffect(() => saveDraft({ ...form }));
  const [password, setPassword] = createSignal('');
  const [confirmPassword, setConfirmPassword] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  /** Set once the sign-up is sent: the email to confirm (the answer is the same for a taken one). */
  const [confirming, setConfirming] = createSignal<{ email: string; password: string }>();

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const { phoneCountry, ...fields } = form;
    const parsed = v.safeParse(RegisterPatientRequest, {
      ...fields,
      password: password(),
      phone: { number: form.phone, country: phoneCountry },
    });
    const found = parsed.success ? {} : fieldErrors(parsed.issues);
    // The contract checks the number's shape; whether it can be texted is the phone module's word.
    const phone = phoneFromInput({ number: form.phone, country: phoneCountry });
    if (!phone.ok && !found.phone) found.phone = phone.message;
    const mismatch = confirmationError(password(), confirmPassword());
    if (mismatch && !found.password) found.confirmPassword = mismatch;
    if (!parsed.success || mismatch || !phone.ok) {
      setErrors(found);
      const first = FIELD_ORDER.find((name) => found[name]);
      document.getElementById(`field-${first}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await client.call('registerPatient', { ...parsed.output, phone: phone.e164 });
      clearDraft();
      setConfirming({ email: parsed.output.email, password: parsed.output.password });
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setErrors(err.fields);
      else setFormError(err instanceof Error ? err.message : 'Registration failed');
    } finally {
      setBusy(false);
    }
  };

  const text = (name: 'name' | 'email' | 'dateOfBirth') => ({
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
        <PasswordField
          label="Password"
          name="password"
          autocomplete="new-password"
          checklist
          value={password()}
          onInput={setPassword}
          error={errors().password}
        />
        <PasswordField
          label="Confirm password"
          name="confirmPassword"
          autocomplete="new-password"
          value={confirmPassword()}
          onInput={setConfirmPassword}
          error={errors().confirmPassword}
        />
        <PhoneField
          label="Mobile number"
          name="phone"
          value={form.phone}
          country={form.phoneCountry}
          onInput={(value) => setForm('phone', value)}
          onCountry={(country) => setForm('phoneCountry', country)}
          error={errors().phone}
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
