import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { appointmentsApi, errorMessage } from '../appointments';
import { profile, signOut, updateProfile } from '../session';
import { formatCalendarDate } from '../time';
import { DataRights } from './DataRights';
import { Checkbox } from './Field';
import { PhoneConfirmation } from './PhoneConfirmation';
import { SmsTerms } from './SmsTerms';
import { TwoStepSettings } from './TwoStepSettings';

export function ProfileSettings() {
  const [checked, setChecked] = createSignal(profile()?.smsOptIn ?? false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [saved, setSaved] = createSignal<string>();
  const [signingOut, setSigningOut] = createSignal(false);
  const navigate = useNavigate();

  // Sign-out already ends every session (the server keeps one valid-after per user, not per device).
  const signOutEverywhere = async () => {
    setSigningOut(true);
    await signOut();
    navigate('/login', { replace: true });
  };

  const change = async (next: boolean) => {
    setChecked(next);
    setError(undefined);
    setSaved(undefined);
    setBusy(true);
    try {
      updateProfile(await appointmentsApi.updateMe(next));
      setSaved(next ? 'Text messages are on.' : 'Text messages are off.');
    } catch (err) {
      setChecked(!next);
      setError(errorMessage(err, 'Your preference could not be saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <Show when={profile()}>
        {(p) => (
          <dl class="details">
            <dt>Email</dt>
            <dd>{p().email}</dd>
            <Show when={p().phone}>
              <dt>Mobile</dt>
              <dd>
                {p().phone} {p().phoneVerified ? '(confirmed)' : '(not confirmed)'}
              </dd>
            </Show>
            <Show when={p().dateOfBirth}>
              <dt>Date of birth</dt>
              <dd>{formatCalendarDate(p().dateOfBirth!)}</dd>
            </Show>
          </dl>
        )}
      </Show>
      <Checkbox
        name="smsOptIn"
        checked={checked()}
        disabled={busy()}
        onChange={(e) => void change(e.currentTarget.checked)}
        error={error()}
        aria-describedby="sms-terms"
      >
        Text me when an appointment is booked, moved or cancelled, and remind me before each visit
      </Checkbox>
      <SmsTerms id="sms-terms" />
      <p class="hint" role="status">
        {busy() ? 'Saving…' : (saved() ?? '')}
      </p>
      <Show when={profile()?.role === 'patient' && profile()?.phone && !profile()?.phoneVerified}>
        <PhoneConfirmation />
      </Show>
      <TwoStepSettings />
      <p class="hint">Lost a device, or signed in somewhere you should not have stayed?</p>
      <button
        type="button"
        class="secondary"
        disabled={signingOut()}
        onClick={() => void signOutEverywhere()}
      >
        {signingOut() ? 'Signing out…' : 'Sign out everywhere'}
      </button>
      <DataRights />
    </article>
  );
}
