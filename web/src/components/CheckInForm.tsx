import { createSignal } from 'solid-js';
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
 * Device check and consent, then check-in: the signed-in patient's waiting room and the signed-out
 * patient who opened a texted link (no-show rescue) check in through the same form.
 */
export function CheckInForm(props: {
  doctorName: string;
  start: string;
  checkIn: (deviceCheck: DeviceCheckResult) => Promise<void>;
}) {
  const [result, setResult] = createSignal<DeviceCheckResult>();
  const [consent, setConsent] = createSignal(false);
  const [consentError, setConsentError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!consent()) return setConsentError('Please agree to continue with a video visit');
    setConsentError(undefined);
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
      <article class="card">
        <h2>1. Check your camera, microphone and speakers</h2>
        <DeviceCheck onResult={setResult} />
      </article>
      <article class="card">
        <h2>2. Consent to a video visit</h2>
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
