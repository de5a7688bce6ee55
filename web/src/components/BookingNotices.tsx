import { createSignal, For, onCleanup, Show } from 'solid-js';
import { bookingNoticeText } from '../booking-notices';
import { realtime } from '../realtime';

const MAX_SHOWN = 5;

/** Short-notice bookings, moves and cancellations, as they arrive, until the doctor dismisses them. */
export function BookingNotices() {
  const [notices, setNotices] = createSignal<{ id: number; text: string }[]>([]);
  let next = 0;
  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type !== 'booking.notice') return;
      const notice = { id: next++, text: bookingNoticeText(frame) };
      setNotices((list) => [notice, ...list].slice(0, MAX_SHOWN));
    }),
  );
  const dismiss = (id: number) => setNotices((list) => list.filter((n) => n.id !== id));
  return (
    <div class="booking-notices" role="status" aria-live="polite">
      <Show when={notices().length > 0}>
        <ul>
          <For each={notices()}>
            {(n) => (
              <li class="notice warning booking-notice">
                <span>{n.text}</span>
                <button type="button" class="secondary" onClick={() => dismiss(n.id)}>
                  Dismiss<span class="sr-only"> this notice</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
