import { A, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import * as v from 'valibot';
import {
  BookAppointmentRequest,
  MAX_REASON_LENGTH,
  NEXT_AVAILABLE_DAYS,
  type DoctorSummary,
  type Slot,
} from '../../../shared/appointments';
import { fieldErrors } from '../../../shared/schemas';
import { ApiError } from '../api';
import { appointmentsApi, errorMessage } from '../appointments';
import { ErrorState, Field, FormError, Loading, TextArea } from '../components/Field';
import { SlotPicker } from '../components/SlotPicker';
import { ShowMore } from '../components/States';
import { createPagedList } from '../paging';
import { browserTimeZone, formatDateTime, viewerZoneName } from '../time';
import type { PatientHomeState } from './PatientHome';

export default function BookAppointment() {
  const navigate = useNavigate();
  const [query, setQuery] = createSignal('');
  const [search, setSearch] = createSignal('');
  const doctors = createPagedList((cursor) => appointmentsApi.doctors(search(), cursor));
  const [doctor, setDoctor] = createSignal<DoctorSummary>();
  const [slot, setSlot] = createSignal<Slot>();
  const [refreshKey, setRefreshKey] = createSignal(0);
  const [reason, setReason] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  /**
   * One Idempotency-Key per booking attempt: resending the same choice (after a network error or a
   * double submit) reuses it, so the server books once; a different choice gets a fresh key.
   */
  let attempt: { request: string; key: string } | undefined;
  const keyFor = (request: unknown) => {
    const text = JSON.stringify(request);
    if (attempt?.request !== text) attempt = { request: text, key: crypto.randomUUID() };
    return attempt.key;
  };

  // A chosen doctor the latest search no longer lists is not kept (and booked) out of sight.
  createEffect(
    on(doctors.items, (list) => {
      const chosen = doctor();
      if (chosen && !list.some((d) => d.doctorId === chosen.doctorId)) {
        setDoctor(undefined);
        setSlot(undefined);
      }
    }),
  );

  let debounce: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(debounce));
  const runSearch = (text: string) => {
    clearTimeout(debounce);
    if (text.trim() === search().trim()) return;
    setSearch(text);
    void doctors.reload();
  };

  const chooseDoctor = (d: DoctorSummary) => {
    setDoctor(d);
    setSlot(undefined);
    setErrors({});
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const parsed = v.safeParse(BookAppointmentRequest, {
      doctorId: doctor()?.doctorId ?? '',
      start: slot()?.start ?? '',
      reason: reason(),
      timeZone: browserTimeZone(),
    });
    if (!parsed.success) {
      const found = fieldErrors(parsed.issues);
      setErrors(found);
      if (found.reason) document.getElementById('field-reason')?.focus();
      return;
    }
    setErrors({});
    if (busy()) return;
    setBusy(true);
    try {
      const appointment = await appointmentsApi.book(parsed.output, keyFor(parsed.output));
      navigate('/patient', { state: { booked: appointment } satisfies PatientHomeState });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // The slot went (or was never bookable): say why and show what is open now.
        setErrors({ start: err.message });
        setSlot(undefined);
        setRefreshKey((k) => k + 1);
        document.getElementById('choose-time-title')?.focus();
      } else if (err instanceof ApiError && Object.keys(err.fields).length) {
        setErrors(err.fields);
        setFormError(err.message);
      } else {
        setFormError(errorMessage(err, 'The appointment could not be booked'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="book-title" class="booking">
      <p class="back">
        <A href="/patient">← Back to your dashboard</A>
      </p>
      <h1 id="book-title">Book an appointment</h1>
      <p class="lead">Times are shown in your time zone ({viewerZoneName()}).</p>

      <section class="card step" aria-labelledby="choose-doctor-title">
        <h2 id="choose-doctor-title">1. Choose a doctor</h2>
        <form
          role="search"
          class="search-row"
          onSubmit={(e) => {
            e.preventDefault();
            runSearch(query());
          }}
        >
          <Field
            label="Search by name or specialty"
            name="doctor-search"
            type="search"
            value={query()}
            onInput={(e) => {
              const text = e.currentTarget.value;
              setQuery(text);
              clearTimeout(debounce);
              debounce = setTimeout(() => runSearch(text), 300);
            }}
          />
          <button type="submit" class="secondary">
            Search
          </button>
        </form>
        <Switch>
          <Match when={doctors.loading()}>
            <Loading label="Finding doctors…" />
          </Match>
          <Match when={doctors.error()}>
            <ErrorState message={doctors.error()!} onRetry={() => void doctors.reload()} />
          </Match>
          <Match when={doctors.items().length === 0}>
            <p class="empty">
              {search().trim() ? `No doctor matches “${search().trim()}”.` : 'No doctors are available yet.'}
            </p>
          </Match>
          <Match when={true}>
            <fieldset class="choices">
              <legend class="sr-only">Doctors</legend>
              <ul class="choice-list">
                <For each={doctors.items()}>
                  {(d) => (
                    <li>
                      <label class="choice">
                        <input
                          type="radio"
                          name="doctor"
                          value={d.doctorId}
                          checked={doctor()?.doctorId === d.doctorId}
                          onChange={() => chooseDoctor(d)}
                        />
                        <span>
                          <strong>{d.name}</strong>
                          <span class="muted">{d.specialty}</span>
                          <span class="muted">
                            {d.nextAvailable
                              ? `Next available: ${formatDateTime(d.nextAvailable)}`
                              : `No open times in the next ${NEXT_AVAILABLE_DAYS / 7} weeks`}
                          </span>
                        </span>
                      </label>
                    </li>
                  )}
                </For>
              </ul>
            </fieldset>
            <ShowMore list={doctors} label="Show more doctors" />
          </Match>
        </Switch>
        <Show when={errors().doctorId}>
          <p class="error">{errors().doctorId}</p>
        </Show>
      </section>

      <Show when={doctor()} keyed>
        {(d) => (
          <section class="card step" aria-labelledby="choose-time-title">
            <h2 id="choose-time-title" tabindex="-1">
              2. Choose a day and time with {d.name}
            </h2>
            <SlotPicker
              doctorId={d.doctorId}
              startAt={d.nextAvailable}
              value={slot()?.start}
              onChange={(s) => {
                setSlot(s);
                if (s) setErrors(({ start: _s, ...rest }) => rest);
              }}
              refreshKey={refreshKey()}
              error={errors().start}
            />
          </section>
        )}
      </Show>

      <Show when={doctor() && slot()}>
        <form class="card step" aria-labelledby="confirm-title" onSubmit={submit} novalidate>
          <h2 id="confirm-title">3. Tell the doctor why you are booking</h2>
          <TextArea
            label="Reason for visit"
            name="reason"
            rows={4}
            max={MAX_REASON_LENGTH}
            hint="Only your doctor sees this. It is never sent by text message or added to calendars."
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
            error={errors().reason}
          />
          <dl class="details summary-box">
            <dt>Video visit with</dt>
            <dd>{doctor()!.name}</dd>
            <dt>When</dt>
            <dd>{formatDateTime(slot()!.start)}</dd>
          </dl>
          <FormError message={formError()} />
          <button type="submit" disabled={busy()}>
            {busy() ? 'Booking…' : 'Confirm booking'}
          </button>
        </form>
      </Show>
    </section>
  );
}
