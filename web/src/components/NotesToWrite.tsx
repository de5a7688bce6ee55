import { A } from '@solidjs/router';
import { createResource, For, onCleanup, Show } from 'solid-js';
import { ApiError } from '../api';
import { allPages, appointmentsApi, notesPath } from '../appointments';
import { realtime } from '../realtime';
import { formatDateTime } from '../time';
import { holdRevealWhile } from './Reveal';

const LOOK_BACK_DAYS = 14;

/** The doctor's completed visits of the last two weeks that still have no notes: the next thing to do. */
export function NotesToWrite() {
  const [missing, { refetch }] = createResource(async () => {
    const from = new Date(Date.now() - LOOK_BACK_DAYS * 86_400_000).toISOString();
    const completed = await allPages((cursor) =>
      appointmentsApi.list({ status: ['completed'], from, order: 'desc', cursor, limit: 100 }),
    );
    const withoutNotes = await Promise.all(
      completed.map((a) =>
        appointmentsApi.notes(a.appointmentId).then(
          () => false,
          (err: unknown) => err instanceof ApiError && err.code === 'no_notes',
        ),
      ),
    );
    return completed.filter((_, i) => withoutNotes[i]);
  });
  holdRevealWhile(() => missing.loading);
  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'appointment' && frame.appointment.status === 'completed') void refetch();
    }),
  );
  return (
    <Show when={missing.latest?.length}>
      <article class="card notes-to-write" aria-labelledby="notes-missing-title">
        <h2 id="notes-missing-title">Visits without notes ({missing.latest!.length})</h2>
        <ul class="plain-list">
          <For each={missing.latest}>
            {(a) => (
              <li>
                <span class="status status-no-show">Notes missing</span>{' '}
                <time datetime={a.start}>{formatDateTime(a.start)}</time> · {a.patientName} ·{' '}
                <A href={notesPath(a)}>Write notes for {a.patientName}</A>
              </li>
            )}
          </For>
        </ul>
      </article>
    </Show>
  );
}
