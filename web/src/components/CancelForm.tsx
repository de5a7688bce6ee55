import { createSignal, onMount } from 'solid-js';
import * as v from 'valibot';
import { CancelAppointmentRequest } from '../../../shared/appointments';
import { fieldErrors } from '../../../shared/schemas';
import { ApiError } from '../api';
import { errorMessage } from '../appointments';
import { FormError, TextArea } from './Field';

interface Props {
  /** Unique per appointment: it names the field. */
  appointmentId: string;
  confirmLabel?: string;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}

/** Asks for the reason before an appointment is cancelled. */
export function CancelForm(props: Props) {
  const [reason, setReason] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  let field: HTMLTextAreaElement | undefined;
  onMount(() => field?.focus());

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const parsed = v.safeParse(CancelAppointmentRequest, { reason: reason() });
    if (!parsed.success) {
      setError(fieldErrors(parsed.issues).reason ?? 'Give a reason');
      field?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await props.onConfirm(parsed.output.reason);
    } catch (err) {
      if (err instanceof ApiError && err.fields.reason) setError(err.fields.reason);
      else setFormError(errorMessage(err, 'The appointment could not be cancelled'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="inline-panel" onSubmit={submit} novalidate>
      <FormError message={formError()} />
      <TextArea
        ref={(el) => (field = el)}
        label="Reason for cancelling"
        name={`cancel-reason-${props.appointmentId}`}
        rows={3}
        max={300}
        value={reason()}
        onInput={(e) => setReason(e.currentTarget.value)}
        error={error()}
      />
      <div class="button-row">
        <button type="submit" class="danger" disabled={busy()}>
          {busy() ? 'Cancelling…' : (props.confirmLabel ?? 'Cancel appointment')}
        </button>
        <button type="button" class="secondary" onClick={() => props.onClose()}>
          Keep appointment
        </button>
      </div>
    </form>
  );
}
