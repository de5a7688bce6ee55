import { createMemo, createSignal, For, Show } from 'solid-js';
import type * as v from 'valibot';
import type { Availability } from '../../../shared/appointments';
import { scheduledSlots } from '../../../shared/schedule';
import { addDays, localDate } from '../../../shared/zoned-time';
import { formatLongDay, formatTimeIn } from '../time';
import { Field } from './Field';

const PREVIEW_DAYS = 7;
const HOUR = 3_600_000;

/**
 * The slots the hours being edited produce over one week, computed in the browser by the same
 * schedule code the server's open slots use (before bookings and the booking notice).
 */
export function SlotPreview(props: { draft: v.SafeParseResult<typeof Availability> }) {
  const [from, setFrom] = createSignal('');
  const days = createMemo(() => {
    if (!props.draft.success) return undefined;
    const availability = props.draft.output;
    const { timeZone } = availability;
    const first = from() || localDate(Date.now(), timeZone);
    const dates = Array.from({ length: PREVIEW_DAYS }, (_, i) => addDays(first, i));
    const start = Date.parse(`${first}T00:00:00Z`) - 14 * HOUR;
    const end = Date.parse(`${addDays(first, PREVIEW_DAYS)}T00:00:00Z`) + 14 * HOUR;
    const byDate = new Map<string, number[]>(dates.map((d) => [d, []]));
    for (const slot of scheduledSlots(availability, start, end)) {
      byDate.get(localDate(slot.start, timeZone))?.push(slot.start);
    }
    return dates.map((date) => ({
      date,
      closed: availability.daysOff.includes(date),
      times: byDate.get(date)!.map((t) => formatTimeIn(t, timeZone)),
    }));
  });
  return (
    <section class="card slot-preview" aria-labelledby="slot-preview-title">
      <h2 id="slot-preview-title">Preview of bookable times</h2>
      <p class="hint">
        The times these hours offer, in your time zone, before bookings and the booking notice are taken off.
        It changes as you edit; save to publish.
      </p>
      <div class="two-columns">
        <Field
          label="Week from"
          name="previewFrom"
          type="date"
          hint="Today when empty."
          value={from()}
          onInput={(e) => setFrom(e.currentTarget.value)}
        />
      </div>
      <Show
        when={days()}
        fallback={<p class="empty">The preview appears once the entries above are complete and valid.</p>}
      >
        {(list) => (
          <ul class="preview-days">
            <For each={list()}>
              {(day) => (
                <li data-date={day.date}>
                  <strong>{formatLongDay(day.date)}</strong>{' '}
                  <span class="muted">
                    {day.closed
                      ? 'Closed (day off)'
                      : day.times.length === 0
                        ? 'No hours'
                        : `${day.times.length} ${day.times.length === 1 ? 'time' : 'times'}: ${day.times.join(', ')}`}
                  </span>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </section>
  );
}
