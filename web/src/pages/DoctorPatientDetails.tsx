import { Transcript } from '../components/Transcript';
import { profile } from '../session';
import { A, useParams, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import * as v from 'valibot';
import { VisitNotesRequest, type PatientDetails, type VisitNotes } from '../../../shared/appointments';
import { fieldErrors } from '../../../shared/schemas';
import { ApiError } from '../api';
import { appointmentsApi, errorMessage } from '../appointments';
import { Checkbox, ErrorState, FormError, Loading, TextArea } from '../components/Field';
import { StatusBadge } from '../components/States';
import { TechnicalProblemForm } from '../components/VisitFeedback';
import { formatCalendarDate, formatDateTime, viewerZoneName } from '../time';

type Visit = PatientDetails['appointments'][number];

export default function DoctorPatientDetails() {
  const params = useParams<{ patientId: string }>();
  // `?visit=<id>`: arriving from a visit that just ended, to write it up.
  const [search] = useSearchParams<{ visit?: string }>();
  const [details, { refetch }] = createResource(
    () => params.patientId,
    (id) => appointmentsApi.patient(id),
  );
  return (
    <section aria-labelledby="patient-title">
      <p class="back">
        <A href="/doctor/patients">← All patients</A>
      </p>
      <Switch>
        <Match when={details.loading}>
          <h1 id="patient-title">Patient details</h1>
          <Loading label="Loading the patient’s details…" />
        </Match>
        <Match when={details.error}>
          <h1 id="patient-title">Patient details</h1>
          <ErrorState
            message={
              details.error instanceof ApiError && details.error.status === 404
                ? 'This patient is not among your patients.'
                : errorMessage(details.error)
            }
            onRetry={() => void refetch()}
          />
        </Match>
        <Match when={details()}>
          {(d) => (
            <>
              <h1 id="patient-title">{d().patient.name}</h1>
              <p class="muted">Times are shown in your time zone ({viewerZoneName()}).</p>
              <div class="dashboard aside-first">
                <article class="card" aria-labelledby="contact-title">
                  <h2 id="contact-title">Details</h2>
                  <dl class="details">
                    <dt>Date of birth</dt>
                    <dd>
                      {d().patient.dateOfBirth ? formatCalendarDate(d().patient.dateOfBirth!) : 'Not given'}
                    </dd>
                    <dt>Email</dt>
                    <dd>
                      <a href={`mailto:${d().patient.email}`}>{d().patient.email}</a>
                    </dd>
                    <dt>Mobile</dt>
                    <dd>
                      <Show when={d().patient.phone} fallback="Not given">
                        <a href={`tel:${d().patient.phone}`}>{d().patient.phone}</a>
                      </Show>
                    </dd>
                  </dl>
                </article>
                <article class="card" aria-labelledby="visits-title">
                  <h2 id="visits-title">Visits with you</h2>
                  <Show
                    when={d().appointments.length}
                    fallback={<p class="empty">No visits with you yet.</p>}
                  >
                    <ul class="appointment-list">
                      <For each={d().appointments}>
                        {(visit) => <VisitItem visit={visit} focus={visit.appointmentId === search.visit} />}
                      </For>
                    </ul>
                  </Show>
                </article>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

function VisitItem(props: { visit: Visit; focus: boolean }) {
  const visit = () => props.visit;
  return (
    <li
      class="appointment"
      id={`visit-${visit().appointmentId}`}
      classList={{ muted: visit().status === 'cancelled', highlight: props.focus }}
    >
      <div class="appointment-head">
        <h3>
          <time datetime={visit().start}>{formatDateTime(visit().start)}</time>
        </h3>
        <StatusBadge status={visit().status} />
      </div>
      <p class="reason">
        <span class="label">Reason for visit:</span> {visit().reason}
      </p>
      <Show when={visit().status === 'cancelled'}>
        <p class="reason">
          <span class="label">Cancelled by {visit().cancelledBy === 'doctor' ? 'you' : 'the patient'}:</span>{' '}
          {visit().cancelReason}
        </p>
      </Show>
      <Show
        when={visit().status !== 'cancelled'}
        fallback={<p class="hint">Cancelled visits have no notes.</p>}
      >
        <NotesEditor appointmentId={visit().appointmentId} initial={visit().notes} focus={props.focus} />
      </Show>
      {/* Just back from this call: a problem with it can be reported here, below the notes. */}
      <Show when={props.focus && visit().status === 'completed'}>
        <TechnicalProblemForm appointmentId={visit().appointmentId} />
      </Show>
      <Show when={visit().status === 'completed'}>
        <Transcript
          appointmentId={visit().appointmentId}
          myId={profile()?.userId}
          otherName={visit().patientName}
        />
      </Show>
    </li>
  );
}

function NotesEditor(props: { appointmentId: string; initial?: VisitNotes; focus?: boolean }) {
  // The editor starts from the notes loaded with the page and then owns them.
  const initial = props.initial;
  const [notes, setNotes] = createSignal(initial?.notes ?? '');
  const [summary, setSummary] = createSignal(initial?.summary ?? '');
  const [shared, setShared] = createSignal(initial?.summaryShared ?? false);
  const [savedAt, setSavedAt] = createSignal(initial?.updatedAt);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [status, setStatus] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const key = (name: string) => `${name}-${props.appointmentId}`;
  let editor: HTMLDetailsElement | undefined;
  onMount(() => {
    if (!props.focus || !editor) return;
    editor.scrollIntoView({ block: 'start' });
    document.getElementById(`field-${key('notes')}`)?.focus({ preventScroll: true });
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    setStatus(undefined);
    const parsed = v.safeParse(VisitNotesRequest, {
      notes: notes(),
      summary: summary(),
      summaryShared: shared(),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.issues));
    if (parsed.output.summaryShared && !parsed.output.summary.trim()) {
      return setErrors({ summary: 'Write a summary before sharing it with the patient' });
    }
    setErrors({});
    setBusy(true);
    try {
      const stored = await appointmentsApi.saveNotes(props.appointmentId, parsed.output);
      setSavedAt(stored.updatedAt);
      setStatus(stored.summaryShared ? 'Saved. The patient can read the summary.' : 'Saved.');
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setErrors(err.fields);
      setFormError(errorMessage(err, 'The notes could not be saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="notes-editor" open={!!initial || props.focus} ref={(el) => (editor = el)}>
      <summary>Visit notes and summary</summary>
      <form onSubmit={submit} novalidate>
        <FormError message={formError()} />
        <TextArea
          label="Notes (only you see these)"
          name={key('notes')}
          rows={5}
          max={20_000}
          value={notes()}
          onInput={(e) => setNotes(e.currentTarget.value)}
          error={errors().notes}
        />
        <TextArea
          label="Summary for the patient"
          name={key('summary')}
          rows={3}
          max={5_000}
          value={summary()}
          onInput={(e) => setSummary(e.currentTarget.value)}
          error={errors().summary}
        />
        <Checkbox
          name={key('summaryShared')}
          checked={shared()}
          onChange={(e) => setShared(e.currentTarget.checked)}
          error={errors().summaryShared}
        >
          Share summary with patient
        </Checkbox>
        <div class="button-row">
          <button type="submit" disabled={busy()}>
            {busy() ? 'Saving…' : 'Save notes'}
          </button>
          <p class="hint" role="status">
            {status() ?? (savedAt() ? `Last saved ${formatDateTime(savedAt()!)}` : '')}
          </p>
        </div>
      </form>
    </details>
  );
}
