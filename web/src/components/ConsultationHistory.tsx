import { useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import type { Appointment } from '../../../shared/appointments';
import { ApiError } from '../api';
import { appointmentsApi, errorMessage } from '../appointments';
import { createPagedList } from '../paging';
import { formatDateTime } from '../time';
import { ErrorState, Loading } from './Field';
import { profile } from '../session';
import { holdRevealWhile } from './Reveal';
import { ShowMore, StatusBadge } from './States';
import { Transcript } from './Transcript';

const PAST = ['completed', 'cancelled', 'no_show'] as const;

/** Past consultations, newest first; `version` changes when one was just added. */
export function ConsultationHistory(props: { version: number }) {
  const list = createPagedList((cursor) =>
    appointmentsApi.list({ status: PAST, order: 'desc', cursor, limit: 10 }),
  );
  holdRevealWhile(list.loading);
  createEffect(
    on(
      () => props.version,
      () => void list.reload(),
      { defer: true },
    ),
  );

  return (
    <article class="card" aria-labelledby="history-title">
      <h2 id="history-title">Consultation history</h2>
      <Switch>
        <Match when={list.firstLoading()}>
          <Loading label="Loading your consultation history…" />
        </Match>
        <Match when={list.error()}>
          <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
        </Match>
        <Match when={list.items().length === 0}>
          <p class="empty">Past consultations will appear here.</p>
        </Match>
        <Match when={true}>
          <ul class="appointment-list">
            <For each={list.items()}>{(appointment) => <HistoryItem appointment={appointment} />}</For>
          </ul>
          <ShowMore list={list} label="Show more" />
        </Match>
      </Switch>
    </article>
  );
}

function HistoryItem(props: { appointment: Appointment }) {
  const a = () => props.appointment;
  // `?summary=<id>`: the link from the end of the visit opens that visit's summary.
  const [search] = useSearchParams<{ summary?: string }>();
  const [open, setOpen] = createSignal(search.summary === props.appointment.appointmentId);
  const panelId = () => `summary-${a().appointmentId}`;
  const [summary, { refetch }] = createResource(
    () => (open() ? a().appointmentId : undefined),
    (id) =>
      appointmentsApi.notes(id).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'no_summary') return null;
        throw err;
      }),
  );
  return (
    <li class="appointment" classList={{ muted: a().status !== 'completed' }}>
      <div class="appointment-head">
        <h3>
          <time datetime={a().start}>{formatDateTime(a().start)}</time>
        </h3>
        <StatusBadge status={a().status} />
      </div>
      <p class="who">
        {a().doctorName}
        <Show when={a().doctorSpecialty}>
          <span class="muted"> · {a().doctorSpecialty}</span>
        </Show>
      </p>
      <Show when={a().status === 'cancelled'}>
        <p class="reason">
          <span class="label">Cancelled by {a().cancelledBy === 'doctor' ? 'the doctor' : 'you'}:</span>{' '}
          {a().cancelReason}
        </p>
      </Show>
      <Show when={a().status === 'completed'}>
        <div class="history-section">
          <button
            type="button"
            class="link-button"
            aria-expanded={open()}
            aria-controls={panelId()}
            onClick={() => setOpen((o) => !o)}
          >
            {open() ? 'Hide visit summary' : 'Visit summary'}
          </button>
          <Show when={open()}>
            <div id={panelId()} class="summary-panel">
              <Switch>
                <Match when={summary.loading}>
                  <Loading label="Loading the summary…" />
                </Match>
                <Match when={summary.error}>
                  <ErrorState message={errorMessage(summary.error)} onRetry={() => void refetch()} />
                </Match>
                <Match when={summary() === null}>
                  <p class="empty">No summary shared yet.</p>
                </Match>
                <Match when={summary()}>{(notes) => <p class="prewrap">{notes().summary}</p>}</Match>
              </Switch>
            </div>
          </Show>
        </div>
        <div class="history-section">
          <Transcript appointmentId={a().appointmentId} myId={profile()?.userId} otherName={a().doctorName} />
        </div>
      </Show>
    </li>
  );
}
