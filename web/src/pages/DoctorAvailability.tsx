import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import * as v from 'valibot';
import {
  Availability,
  DEFAULT_SLOT_MINUTES,
  WEEKDAYS,
  type Availability as AvailabilityValue,
  type Weekday,
} from '../../../shared/appointments';
import { fieldErrors } from '../../../shared/schemas';
import { ApiError } from '../api';
import { appointmentsApi, errorMessage } from '../appointments';
import { ErrorState, Field, FormError, Loading, SelectField } from '../components/Field';
import { SlotPreview } from '../components/SlotPreview';
import { browserTimeZone, viewerZoneName, zoneLabel } from '../time';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

interface Range {
  start: string;
  end: string;
}
interface FormState {
  timeZone: string;
  slotMinutes: string;
  /** Blank: the practice's notice. */
  minNoticeMinutes: string;
  weekly: Record<Weekday, Range[]>;
  daysOff: { date: string }[];
  dates: { date: string; ranges: Range[] }[];
}

const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** `<input type="time">` cannot show 24:00, so midnight at the end of a day is entered as 00:00. */
const fromApiTime = (t: string) => (t === '24:00' ? '00:00' : t);
const toApiEnd = (t: string) => (t === '00:00' ? '24:00' : t);
const clock = (t: string) => t.slice(0, 5);

function toForm(a: AvailabilityValue, configured: boolean): FormState {
  const weekly = {} as Record<Weekday, Range[]>;
  for (const day of WEEKDAYS) {
    weekly[day] = (a.weekly[day] ?? []).map((r) => ({ start: r.start, end: fromApiTime(r.end) }));
  }
  return {
    timeZone: configured ? a.timeZone : browserTimeZone(),
    slotMinutes: String(a.slotMinutes ?? DEFAULT_SLOT_MINUTES),
    minNoticeMinutes: a.minNoticeMinutes === undefined ? '' : String(a.minNoticeMinutes),
    weekly,
    daysOff: (a.daysOff ?? []).map((date) => ({ date })),
    dates: (a.dates ?? []).map((d) => ({
      date: d.date,
      ranges: d.ranges.map((r) => ({ start: r.start, end: fromApiTime(r.end) })),
    })),
  };
}

const toApiRanges = (ranges: readonly Range[]) =>
  ranges.map((r) => ({ start: clock(r.start), end: toApiEnd(clock(r.end)) }));

function toRequest(form: FormState): unknown {
  const weekly = {} as Record<Weekday, Range[]>;
  for (const day of WEEKDAYS) weekly[day] = toApiRanges(form.weekly[day]);
  const notice = form.minNoticeMinutes.trim();
  return {
    timeZone: form.timeZone,
    slotMinutes: form.slotMinutes.trim() === '' ? Number.NaN : Number(form.slotMinutes),
    ...(notice === '' ? {} : { minNoticeMinutes: Number(notice) }),
    weekly,
    daysOff: form.daysOff.map((d) => d.date),
    dates: form.dates.map((d) => ({ date: d.date, ranges: toApiRanges(d.ranges) })),
  };
}

/** Blank inputs get a plain message rather than the schema's format rule. */
function blankEntries(form: FormState): Record<string, string> {
  const found: Record<string, string> = {};
  for (const day of WEEKDAYS) {
    form.weekly[day].forEach((r, i) => {
      if (!r.start) found[`weekly.${day}.${i}.start`] = 'Enter a start time';
      if (!r.end) found[`weekly.${day}.${i}.end`] = 'Enter an end time';
    });
  }
  form.daysOff.forEach((d, i) => {
    if (!d.date) found[`daysOff.${i}`] = 'Choose a date or remove this row';
  });
  form.dates.forEach((d, i) => {
    if (!d.date) found[`dates.${i}.date`] = 'Choose a date or remove this row';
    d.ranges.forEach((r, j) => {
      if (!r.start) found[`dates.${i}.ranges.${j}.start`] = 'Enter a start time';
      if (!r.end) found[`dates.${i}.ranges.${j}.end`] = 'Enter an end time';
    });
  });
  return found;
}

function timeZones(...extra: string[]): string[] {
  const all = new Set(Intl.supportedValuesOf('timeZone'));
  for (const zone of extra) if (zone) all.add(zone);
  return [...all].sort();
}

export default function DoctorAvailability() {
  const [loaded, { refetch }] = createResource(() => appointmentsApi.availability());
  return (
    <section aria-labelledby="availability-title">
      <p class="back">
        <A href="/doctor">← Back to your schedule</A>
      </p>
      <h1 id="availability-title">Availability</h1>
      <p class="lead">Your weekly hours are when patients can book video visits with you.</p>
      <Switch>
        <Match when={loaded.loading}>
          <Loading label="Loading your availability…" />
        </Match>
        <Match when={loaded.error}>
          <ErrorState message={errorMessage(loaded.error)} onRetry={() => void refetch()} />
        </Match>
        <Match when={loaded()}>{(data) => <AvailabilityForm initial={data()} />}</Match>
      </Switch>
    </section>
  );
}

function AvailabilityForm(props: { initial: { availability: AvailabilityValue; configured: boolean } }) {
  // The form starts from the loaded answer; after a save it is reconciled with what the server stored.
  const [form, setForm] = createStore<FormState>(
    toForm(props.initial.availability, props.initial.configured),
  );
  const [configured, setConfigured] = createSignal(props.initial.configured);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [saved, setSaved] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const zones = timeZones(form.timeZone, browserTimeZone());

  const rowError = (day: Weekday, i: number) => errors()[`weekly.${day}.${i}`];
  const fieldId = (key: string) => `field-${key.replace(/\./g, '-')}`;
  const rowErrorId = (day: Weekday, i: number) => `${fieldId(`weekly.${day}.${i}`)}-error`;

  const focusFirstError = (found: Record<string, string>) => {
    for (const key of Object.keys(found)) {
      const el =
        document.getElementById(fieldId(key)) ??
        document.getElementById(fieldId(`${key}.start`)) ??
        document.getElementById(fieldId(key.replace(/\.\d+$/, '')));
      if (el) return el.focus();
    }
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    setSaved(undefined);
    const parsed = v.safeParse(Availability, toRequest(form));
    if (!parsed.success) {
      const found = { ...fieldErrors(parsed.issues), ...blankEntries(form) };
      setErrors(found);
      setFormError('Some entries need attention. They are marked below.');
      queueMicrotask(() => focusFirstError(found));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await appointmentsApi.saveAvailability(parsed.output);
      setForm(reconcile(toForm(result.availability, true)));
      setConfigured(true);
      setSaved('Availability saved. Patients can book these times now.');
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) {
        setErrors(err.fields);
        queueMicrotask(() => focusFirstError(err.fields));
      }
      setFormError(errorMessage(err, 'Your availability could not be saved'));
    } finally {
      setBusy(false);
    }
  };

  const copyMonday = (days: readonly Weekday[]) =>
    setForm(
      produce((f) => {
        for (const day of days) if (day !== 'mon') f.weekly[day] = f.weekly.mon.map((r) => ({ ...r }));
      }),
    );
  // The preview follows every keystroke, from the same schedule code as the open slots.
  const draft = createMemo(() => v.safeParse(Availability, toRequest(form)));

  return (
    <form class="availability" onSubmit={submit} novalidate>
      <Show when={!configured()}>
        <p class="notice warning">You have not published any hours yet, so patients cannot book you.</p>
      </Show>
      <FormError message={formError()} />
      <div class="card">
        <h2>Time zone and slots</h2>
        <div class="two-columns">
          <SelectField
            label="Time zone"
            name="timeZone"
            hint={`Your weekly hours are in this time zone. This browser uses ${viewerZoneName()}.`}
            value={form.timeZone}
            onChange={(e) => setForm('timeZone', e.currentTarget.value)}
            error={errors().timeZone}
          >
            <For each={zones}>
              {(zone) => (
                <option value={zone} selected={zone === form.timeZone}>
                  {zoneLabel(zone)}
                </option>
              )}
            </For>
          </SelectField>
          <Field
            label="Slot length (minutes)"
            name="slotMinutes"
            type="number"
            inputmode="numeric"
            min="10"
            max="120"
            step="5"
            hint="Between 10 and 120, in steps of 5."
            value={form.slotMinutes}
            onInput={(e) => setForm('slotMinutes', e.currentTarget.value)}
            error={errors().slotMinutes}
          />
          <Field
            label="Minimum booking notice (minutes)"
            name="minNoticeMinutes"
            type="number"
            inputmode="numeric"
            min="0"
            step="5"
            hint="How soon a new booking may start. Leave blank for the practice’s notice."
            value={form.minNoticeMinutes}
            onInput={(e) => setForm('minNoticeMinutes', e.currentTarget.value)}
            error={errors().minNoticeMinutes}
          />
        </div>
      </div>

      <div class="card">
        <h2>Weekly hours</h2>
        <p class="hint">
          Add one or more time ranges per day. An end time of 00:00 (12:00 AM) means midnight at the end of
          the day.
        </p>
        <div class="weekdays">
          <For each={WEEKDAYS}>
            {(day) => (
              <fieldset class="weekday" classList={{ invalid: !!errors()[`weekly.${day}`] }}>
                <legend>{DAY_NAMES[day]}</legend>
                <Show when={form.weekly[day].length === 0}>
                  <p class="empty">Not available</p>
                </Show>
                <ul class="ranges">
                  <For each={form.weekly[day]}>
                    {(range, i) => (
                      <li>
                        <div class="range-row">
                          <TimeInput
                            id={fieldId(`weekly.${day}.${i()}.start`)}
                            context={`${DAY_NAMES[day]}, range ${i() + 1},`}
                            rowErrorId={rowError(day, i()) ? rowErrorId(day, i()) : undefined}
                            visible="From"
                            value={range.start}
                            error={errors()[`weekly.${day}.${i()}.start`]}
                            onChange={(value) => setForm('weekly', day, i(), 'start', value)}
                          />
                          <TimeInput
                            id={fieldId(`weekly.${day}.${i()}.end`)}
                            context={`${DAY_NAMES[day]}, range ${i() + 1},`}
                            rowErrorId={rowError(day, i()) ? rowErrorId(day, i()) : undefined}
                            visible="To"
                            value={range.end}
                            error={errors()[`weekly.${day}.${i()}.end`]}
                            onChange={(value) => setForm('weekly', day, i(), 'end', value)}
                          />
                          <button
                            type="button"
                            class="secondary small"
                            onClick={() =>
                              setForm('weekly', day, (rows) => rows.filter((_, index) => index !== i()))
                            }
                          >
                            Remove
                            <span class="sr-only">
                              {' '}
                              {DAY_NAMES[day]} range {i() + 1}
                            </span>
                          </button>
                        </div>
                        <Show when={rowError(day, i())}>
                          <p class="error" id={rowErrorId(day, i())}>
                            {rowError(day, i())}
                          </p>
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
                <Show when={errors()[`weekly.${day}`]}>
                  <p class="error">{errors()[`weekly.${day}`]}</p>
                </Show>
                <button
                  type="button"
                  class="secondary small"
                  onClick={() =>
                    setForm('weekly', day, (rows) => [...rows, { start: '09:00', end: '17:00' }])
                  }
                >
                  Add hours<span class="sr-only"> on {DAY_NAMES[day]}</span>
                </button>
              </fieldset>
            )}
          </For>
        </div>
        <div class="button-row">
          <button type="button" class="secondary" onClick={() => copyMonday(WORKDAYS)}>
            Copy Monday’s hours to weekdays
          </button>
          <button type="button" class="secondary" onClick={() => copyMonday(WEEKDAYS)}>
            Copy Monday’s hours to every day
          </button>
        </div>
      </div>

      <div class="card one-off">
        <h2>One-off hours</h2>
        <p class="hint">Hours for a single date, instead of that weekday’s usual hours.</p>
        <Show when={form.dates.length === 0}>
          <p class="empty">No one-off hours planned.</p>
        </Show>
        <ul class="ranges">
          <For each={form.dates}>
            {(entry, i) => (
              <li>
                <fieldset class="weekday" classList={{ invalid: !!errors()[`dates.${i()}.ranges`] }}>
                  <legend class="sr-only">One-off date {i() + 1}</legend>
                  <div class="range-row">
                    <Field
                      label={`One-off date ${i() + 1}`}
                      name={`dates-${i()}-date`}
                      type="date"
                      value={entry.date}
                      onInput={(e) => setForm('dates', i(), 'date', e.currentTarget.value)}
                      error={errors()[`dates.${i()}.date`] ?? errors()[`dates.${i()}`]}
                    />
                    <button
                      type="button"
                      class="secondary small"
                      onClick={() => setForm('dates', (rows) => rows.filter((_, index) => index !== i()))}
                    >
                      Remove<span class="sr-only"> one-off date {i() + 1}</span>
                    </button>
                  </div>
                  <For each={entry.ranges}>
                    {(range, j) => (
                      <div class="range-row">
                        <TimeInput
                          id={fieldId(`dates.${i()}.ranges.${j()}.start`)}
                          context={`One-off date ${i() + 1}, range ${j() + 1},`}
                          visible="From"
                          value={range.start}
                          error={errors()[`dates.${i()}.ranges.${j()}.start`]}
                          onChange={(value) => setForm('dates', i(), 'ranges', j(), 'start', value)}
                        />
                        <TimeInput
                          id={fieldId(`dates.${i()}.ranges.${j()}.end`)}
                          context={`One-off date ${i() + 1}, range ${j() + 1},`}
                          visible="To"
                          value={range.end}
                          error={
                            errors()[`dates.${i()}.ranges.${j()}.end`] ??
                            errors()[`dates.${i()}.ranges.${j()}`]
                          }
                          onChange={(value) => setForm('dates', i(), 'ranges', j(), 'end', value)}
                        />
                        <Show when={entry.ranges.length > 1}>
                          <button
                            type="button"
                            class="secondary small"
                            onClick={() =>
                              setForm('dates', i(), 'ranges', (rows) =>
                                rows.filter((_, index) => index !== j()),
                              )
                            }
                          >
                            Remove<span class="sr-only"> range {j() + 1}</span>
                          </button>
                        </Show>
                      </div>
                    )}
                  </For>
                  <Show when={errors()[`dates.${i()}.ranges`]}>
                    <p class="error">{errors()[`dates.${i()}.ranges`]}</p>
                  </Show>
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() =>
                      setForm('dates', i(), 'ranges', (rows) => [...rows, { start: '13:00', end: '17:00' }])
                    }
                  >
                    Add hours<span class="sr-only"> on one-off date {i() + 1}</span>
                  </button>
                </fieldset>
              </li>
            )}
          </For>
        </ul>
        <Show when={errors().dates}>
          <p class="error">{errors().dates}</p>
        </Show>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            setForm('dates', (rows) => [...rows, { date: '', ranges: [{ start: '09:00', end: '12:00' }] }])
          }
        >
          Add one-off hours
        </button>
      </div>

      <div class="card days-off">
        <h2>Days off</h2>
        <p class="hint">Closed all day: no appointments can be booked on these dates, whatever the hours.</p>
        <Show when={form.daysOff.length === 0}>
          <p class="empty">No days off planned.</p>
        </Show>
        <ul class="ranges">
          <For each={form.daysOff}>
            {(dayOff, i) => (
              <li>
                <div class="range-row">
                  <Field
                    label={`Day off ${i() + 1}`}
                    name={`daysOff-${i()}`}
                    type="date"
                    value={dayOff.date}
                    onInput={(e) => setForm('daysOff', i(), 'date', e.currentTarget.value)}
                    error={errors()[`daysOff.${i()}`]}
                  />
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => setForm('daysOff', (rows) => rows.filter((_, index) => index !== i()))}
                  >
                    Remove<span class="sr-only"> day off {i() + 1}</span>
                  </button>
                </div>
              </li>
            )}
          </For>
        </ul>
        <Show when={errors().daysOff}>
          <p class="error">{errors().daysOff}</p>
        </Show>
        <button
          type="button"
          class="secondary"
          onClick={() => setForm('daysOff', (rows) => [...rows, { date: '' }])}
        >
          Add a day off
        </button>
      </div>

      <SlotPreview draft={draft()} />

      <div class="save-bar">
        <button type="submit" disabled={busy()}>
          {busy() ? 'Saving…' : 'Save availability'}
        </button>
        <p role="status" class="saved">
          {saved() ?? ''}
        </p>
      </div>
    </form>
  );
}

function TimeInput(props: {
  id: string;
  /** Read by screen readers before the visible label, e.g. "Monday, range 1,". */
  context: string;
  visible: string;
  value: string;
  error?: string;
  /** The row's own error (e.g. end before start). */
  rowErrorId?: string;
  onChange: (value: string) => void;
}) {
  return (
    <div class="field time-field" classList={{ invalid: !!props.error }}>
      <label for={props.id}>
        <span class="sr-only">{props.context} </span>
        {props.visible}
      </label>
      <input
        id={props.id}
        type="time"
        step="300"
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={
          [props.error ? `${props.id}-error` : '', props.rowErrorId ?? ''].filter(Boolean).join(' ') ||
          undefined
        }
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
      <Show when={props.error}>
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}
