import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  createUniqueId,
  For,
  Match,
  on,
  Show,
  Switch,
} from 'solid-js';
import { BOOKING_HORIZON_DAYS, type Slot, type SlotPurpose } from '../../../shared/appointments';
import { appointmentsApi, errorMessage } from '../appointments';
import { addDays, dayKey, formatDateSpan, formatShortDay, formatTime, startOfDay } from '../time';
import { ErrorState, Loading } from './Field';

const WEEKS = Math.ceil(BOOKING_HORIZON_DAYS / 7);

interface Props {
  doctorId: string;
  /** The chosen slot's start (ISO), if any. */
  value?: string;
  onChange: (slot: Slot | undefined) => void;
  /** Bump to fetch the open slots again (e.g. after a 409). */
  refreshKey?: number;
  error?: string;
  /** `reschedule` offers no time inside the change cut-off. */
  purpose?: SlotPurpose;
  /** The doctor's next open time, if known: the picker opens on its week. */
  startAt?: string;
}

const WEEK_MS = 7 * 86_400_000;

/** A doctor's open slots a week at a time over the booking horizon: week → day → time. */
export function SlotPicker(props: Props) {
  const uid = createUniqueId();
  const firstWeek = props.startAt
    ? Math.floor((startOfDay(new Date(props.startAt)).getTime() - startOfDay(new Date()).getTime()) / WEEK_MS)
    : 0;
  const [week, setWeek] = createSignal(Math.min(WEEKS - 1, Math.max(0, firstWeek)));
  const weekStart = () => addDays(startOfDay(new Date()), 7 * week());

  const [slots, { refetch }] = createResource(
    () => ({ doctorId: props.doctorId, week: week(), refresh: props.refreshKey ?? 0 }),
    async ({ doctorId, week: w }) => {
      const start = addDays(startOfDay(new Date()), 7 * w);
      const from = w === 0 ? new Date() : start;
      return appointmentsApi.slots(
        doctorId,
        from.toISOString(),
        addDays(start, 7).toISOString(),
        props.purpose,
      );
    },
  );

  const days = createMemo(() => {
    const byDay = new Map<string, Slot[]>();
    if (slots.error || slots.loading) return [];
    for (const slot of slots() ?? []) {
      const key = dayKey(new Date(slot.start));
      byDay.set(key, [...(byDay.get(key) ?? []), slot]);
    }
    return [...byDay.entries()].map(([key, daySlots]) => ({ key, slots: daySlots }));
  });

  const [day, setDay] = createSignal<string>();
  // Keep the chosen day while it still has open times; otherwise start from the first that does.
  createEffect(
    on(days, (list) => {
      if (slots.loading) return;
      if (!list.some((d) => d.key === day())) setDay(list[0]?.key);
    }),
  );
  const daySlots = () => days().find((d) => d.key === day())?.slots ?? [];

  const chooseDay = (key: string) => {
    setDay(key);
    if (props.value && dayKey(new Date(props.value)) !== key) props.onChange(undefined);
  };
  const goWeek = (delta: number) => {
    setWeek((w) => Math.min(WEEKS - 1, Math.max(0, w + delta)));
    props.onChange(undefined);
  };

  return (
    <div class="slot-picker">
      <div class="week-nav">
        <button type="button" class="secondary" disabled={week() === 0} onClick={() => goWeek(-1)}>
          <span aria-hidden="true">← </span>Earlier
          <span class="sr-only"> week</span>
        </button>
        <p class="week-label" aria-live="polite">
          <span class="sr-only">Showing </span>
          {formatDateSpan(weekStart(), addDays(weekStart(), 6))}
        </p>
        <button type="button" class="secondary" disabled={week() === WEEKS - 1} onClick={() => goWeek(1)}>
          Later<span class="sr-only"> week</span>
          <span aria-hidden="true"> →</span>
        </button>
      </div>
      <Show when={props.error}>
        <p class="form-error" role="alert">
          {props.error}
        </p>
      </Show>
      <Switch>
        <Match when={slots.loading}>
          <Loading label="Looking for open times…" />
        </Match>
        <Match when={slots.error}>
          <ErrorState message={errorMessage(slots.error)} onRetry={() => void refetch()} />
        </Match>
        <Match when={days().length === 0}>
          <p class="empty">
            No open times in this week.
            {week() < WEEKS - 1 ? ' Try a later week.' : ' Bookings open up to 8 weeks ahead.'}
          </p>
        </Match>
        <Match when={true}>
          <fieldset class="chips days">
            <legend>Day</legend>
            <div class="chip-grid">
              <For each={days()}>
                {(d) => (
                  <label class="chip">
                    <input
                      type="radio"
                      name={`${uid}-day`}
                      value={d.key}
                      checked={day() === d.key}
                      onChange={() => chooseDay(d.key)}
                    />
                    <span>
                      {formatShortDay(d.key)}
                      <small>
                        {d.slots.length} {d.slots.length === 1 ? 'time' : 'times'}
                      </small>
                    </span>
                  </label>
                )}
              </For>
            </div>
          </fieldset>
          <fieldset class="chips times">
            <legend>Time</legend>
            <div class="chip-grid">
              <For each={daySlots()}>
                {(slot) => (
                  <label class="chip">
                    <input
                      type="radio"
                      name={`${uid}-time`}
                      value={slot.start}
                      checked={props.value === slot.start}
                      onChange={() => props.onChange(slot)}
                    />
                    <span>
                      <time datetime={slot.start}>{formatTime(slot.start)}</time>
                    </span>
                  </label>
                )}
              </For>
            </div>
          </fieldset>
        </Match>
      </Switch>
    </div>
  );
}
