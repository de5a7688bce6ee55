import { createSignal, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as v from 'valibot';
import type { CreatedDoctorResponse } from '../../../shared/api';
import { CreateDoctorRequest, fieldErrors } from '../../../shared/schemas';
import { ApiError, client } from '../api';
import { AuditTrail } from '../components/AuditTrail';
import { DoctorAccounts, type AccountNotice } from '../components/DoctorAccounts';
import { Field, FormError } from '../components/Field';
import { TemporaryPassword } from '../components/TemporaryPassword';
import { VisitQualityReport } from '../components/VisitQualityReport';

/** Locally nothing is mailed: the temporary password is shown once, to hand over. */
const shownPassword = (invitation: CreatedDoctorResponse['invitation']) =>
  invitation.delivery === 'shown' ? invitation.temporaryPassword : undefined;

export default function AdminHome() {
  const [form, setForm] = createStore({ name: '', email: '', specialty: '' });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [created, setCreated] = createSignal<CreatedDoctorResponse>();
  const [accountNotice, setAccountNotice] = createSignal<AccountNotice>();
  const [listVersion, setListVersion] = createSignal(0);
  /**
   * Every action starts by clearing what the previous one left on screen: a temporary password is
   * shown once, and a failed attempt never sits under the last success.
   */
  const clearNotices = () => {
    setCreated(undefined);
    setAccountNotice(undefined);
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    clearNotices();
    setFormError(undefined);
    const parsed = v.safeParse(CreateDoctorRequest, { ...form });
    if (!parsed.success) return setErrors(fieldErrors(parsed.issues));
    setErrors({});
    setBusy(true);
    try {
      setCreated(await client.call('createDoctor', parsed.output));
      setForm({ name: '', email: '', specialty: '' });
      setListVersion((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError)
        setErrors(err.code === 'email_taken' ? { email: err.message } : err.fields);
      setFormError(err instanceof Error ? err.message : 'Could not create the doctor');
    } finally {
      setBusy(false);
    }
  };

  const bind = (name: 'name' | 'email' | 'specialty') => ({
    name,
    value: form[name],
    onInput: (e: InputEvent & { currentTarget: HTMLInputElement }) => setForm(name, e.currentTarget.value),
    error: errors()[name],
  });

  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <div class="grid">
        <article class="card">
          <form onSubmit={submit} novalidate>
            <h2>Add a doctor</h2>
            <FormError message={formError()} />
            <Field label="Full name" {...bind('name')} />
            <Field label="Email" type="email" {...bind('email')} />
            <Field label="Specialty" {...bind('specialty')} />
            <button type="submit" disabled={busy()}>
              {busy() ? 'Creating…' : 'Create doctor account'}
            </button>
          </form>
          <Show when={created()}>
            {(c) => (
              <div class="notice" role="status">
                <p>
                  Account created for {c().doctor.name}.{' '}
                  {c().invitation.delivery === 'email'
                    ? 'An invitation with a temporary password was emailed.'
                    : 'Give them this temporary password; they choose their own at first sign-in:'}
                </p>
                <Show when={shownPassword(c().invitation)}>
                  {(password) => <TemporaryPassword password={password()} />}
                </Show>
              </div>
            )}
          </Show>
        </article>
        <DoctorAccounts
          version={listVersion()}
          notice={accountNotice()}
          onAction={(notice) => {
            clearNotices();
            setAccountNotice(notice);
          }}
        />
        <AuditTrail />
        <VisitQualityReport />
      </div>
    </section>
  );
}
