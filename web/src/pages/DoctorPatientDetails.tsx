import { Transcript } from '../components/Transcript';
import { profile } from '../session';
import { A, useParams, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import * as v from 'valibot';
import { VisitNotesRequest, type PatientVisit, type VisitNotes } from '../../../shared/appointments';
import { fieldErrors } from '../../../shared/schemas';
import { ApiError } from '../api';
import { appointmentsApi, errorMessage } from '../appointments';
import { Checkbox, ErrorState, FormError, Loading, TextArea } from '../components/Field';
import { FhirDownload } from '../components/FhirDownload';
import { ShowMore, StatusBadge } from '../components/States';
import { TechnicalProblemForm } from '../components/VisitFeedback';
import { createPagedList } from '../paging';
import { formatCalendarDate, formatDateTime, viewerZoneName } from '../time';

export default function DoctorPatientDetails() {
  const params = useParams<{ patientId: string }>();
  // `?visit=<id>`: arriving from a visit that just ended, to write it up.
  const [search] = useSearchParams<{ visit?: string }>();
  // The summary and the first page of visits load side by side; each shows as soon as it arrives.
  const [details, { refetch }] = createResource(
    () => params.patientId,
    (id) => appointmentsApi.patient(id),
  );
  const notMine = () => details.error instanceof ApiError && details.error.status === 404;
  return (
    <section aria-labelledby="patient-title">
      <p class="back">
        <A href="/doctor/patients">← All patients</A>
      </p>
      <h1 id="patient-title">{details()?.patient.name ?? 'Patient details'}</h1>
      <Show when={!notMine()} fallback={<ErrorState message="This patient is not among your patients." />}>
        <p class="muted">Times are shown in your time zone ({viewerZoneName()}).</p>
        <div class="dashboard aside-first">
          <article class="card" aria-labelledby="contact-title">
            <h2 id="contact-title">Details</h2>
            <Switch>
              <Match when={details.loading}>
                <Loading label="Loading the patient’s details…" />
              </Match>
              <Match when={details.error}>
                <ErrorState message={errorMessage(details.error)} onRetry={() => void refetch()} />
              </Match>
              <Match when={details()}>
                {(d) => (
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
                    <dt>Patient since</dt>
                    <dd>
                      <time datetime={d().firstBookedAt}>{formatDateTime(d().firstBookedAt)}</time>
                    </dd>
                  </dl>
                )}
              </Match>
            </Switch>
            <FhirDownload patientId={params.patientId} />
          </article>
          {/* A new patient id (same route) starts a new list. */}
          <Show when={params.patientId} keyed>
            {(patientId) => <VisitHistory patientId={patientId} focus={search.visit} />}
          </Show>
        </div>
      </Show>
    </section>
  );
}

/** The visits with this doctor, newest first, a page at a time. */
function VisitHistory(props: { patientId: string; focus?: string }) {
  const list = createPagedList((cursor) => appointmentsApi.patientVisits(props.patientId, cursor));
  return (
    <article class="card" aria-labelledby="visits-title" aria-busy={list.loading()}>
      <h2 id="visits-title">Visits with you</h2>
      <Switch>
        <Match when={list.loading()}>
          <Loading label="Loading the visits…" />
        </Match>
        <Match when={list.error()}>
          <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
        </Match>
        <Match when={list.items().length === 0}>
          <p class="empty">No visits with you yet.</p>
        </Match>
        <Match when={true}>
          <ul class="appointment-list">
            <For each={list.items()}>
              {(visit) => <VisitItem visit={visit} focus={visit.appointmentId === props.focus} />}
            </For>
          </ul>
          <ShowMore list={list} label="Show earlier visits" />
        </Match>
      </Switch>
    </article>
  );
}

function VisitItem(props: { visit: PatientVisit; focus: boolean }) {
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
        <FhirDownload appointmentId={visit().appointmentId} />
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
