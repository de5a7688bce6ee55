import { createSignal } from 'solid-js';
import { FHIR_MEDIA_TYPE, fhirFileName } from '../../../shared/fhir';
import { client } from '../api';
import { errorMessage } from '../appointments';
import { FormError } from './Field';

/** Hands a FHIR Bundle to the browser as a file download. */
function saveBundle(bundle: unknown, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: FHIR_MEDIA_TYPE }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy by the next turn; the blob need not outlive it.
  setTimeout(() => URL.revokeObjectURL(url));
}

/**
 * "Download for EHR (FHIR)": a visit that took place, or all of a patient's visits with this doctor,
 * as a FHIR R4 Bundle file an EHR can import.
 */
export function FhirDownload(props: { patientId: string } | { appointmentId: string }) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const download = async () => {
    setError(undefined);
    setBusy(true);
    try {
      if ('appointmentId' in props) {
        const bundle = await client.call('fhirEncounterEverything', { appointmentId: props.appointmentId });
        saveBundle(bundle, fhirFileName('visit', props.appointmentId, bundle.timestamp));
      } else {
        const bundle = await client.call('fhirPatientEverything', { patientId: props.patientId });
        saveBundle(bundle, fhirFileName('patient', props.patientId, bundle.timestamp));
      }
    } catch (err) {
      setError(errorMessage(err, 'The FHIR file could not be prepared. Please try again.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <FormError message={error()} />
      <div class="button-row">
        <button type="button" class="secondary" disabled={busy()} onClick={() => void download()}>
          {busy() ? 'Preparing…' : 'Download for EHR (FHIR)'}
        </button>
      </div>
    </>
  );
}
