import { createSignal, Show, type JSX } from 'solid-js';
import {
  TELEHEALTH_CONSENT_TEXT,
  TELEHEALTH_CONSENT_VERSION,
  type DeviceCheck as DeviceCheckResult,
} from '../../../shared/live';
import { errorMessage } from '../appointments';
import { formatTime, viewerZoneName } from '../time';
import { DeviceCheck } from './DeviceCheck';
import { Checkbox, FormError } from './Field';

/**
 * A step of the form before the device check (the guest's name): its title, its fields, and its
 * check on submit, which shows its own errors and says whether the form may go on.
 */
export interface LeadingStep {
  title: string;
  fields: JSX.Element;
  validate: () => boolean;
}

/**
 * Device check and consent, then check-in: the signed-in patient's waiting room, the signed-out
 * patient who opened a texted link (no-show rescue) and the invited guest (after their name, a
 * leading step) check in through the same form.
 */
export function CheckInForm(props: {
  doctorName: string;
  start: string;
  leadingStep?: LeadingStep;
  checkIn: (deviceCheck: DeviceCheckResult) => Promise<void>;
}) {
  const [result, setResult] = createSignal<DeviceCheckResult>();
  const [consent, setConsent] = createSignal(false);
  const [consentError, setConsentError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const step = (n: number) => n + (props.leadingStep ? 1 : 0);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const leadingOk = props.leadingStep?.validate() ?? true;
    setConsentError(consent() ? undefined : 'Please agree to continue with a video visit');
    if (!leadingOk || !consent()) return;
    setBusy(true);
    setFormError(undefined);
    try {
      await props.checkIn(
        result() ?? { camera: false, microphone: false, speaker: false, browserSupported: false },
      );
    } catch (err) {
      setFormError(errorMessage(err, 'Check-in failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} novalidate>
      <p class="lead">
        Video visit with {props.doctorName} at {formatTime(props.start)} ({viewerZoneName()})
      </p>
      <Show when={props.leadingStep}>
        {(leading) => (
          <article class="card">
            <h2>1. {leading().title}</h2>
            {leading().fields}
          </article>
        )}
      </Show>
      <article class="card">
        <h2>{step(1)}. Check your camera, microphone and speakers</h2>
        <DeviceCheck onResult={setResult} />
      </article>
      <article class="card">
        <h2>{step(2)}. Consent to a video visit</h2>
        <p class="consent-text">{TELEHEALTH_CONSENT_TEXT}</p>
        <p class="muted">Consent version {TELEHEALTH_CONSENT_VERSION}</p>
        <Checkbox
          name="consent"
          checked={consent()}
          onChange={(e) => setConsent(e.currentTarget.checked)}
          error={consentError()}
        >
          I agree to this video visit
        </Checkbox>
      </article>
      <FormError message={formError()} />
      <button type="submit" disabled={busy()}>
        {busy() ? 'Checking in…' : 'Check in'}
      </button>
    </form>
  );
}
