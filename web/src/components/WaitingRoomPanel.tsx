import { useNavigate } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { TELEHEALTH_CONSENT_TEXT_DOCTOR, type WaitingPatient } from '../../../shared/live';
import { errorMessage } from '../appointments';
import { liveApi } from '../live';
import { realtime } from '../realtime';
import { createNow, formatTime } from '../time';
import { createChat } from '../chat';
import { ChatPanel } from './ChatPanel';
import { GuestSeat } from './GuestSeat';
import { ErrorState, Loading } from './Field';
import { holdRevealWhile } from './Reveal';

/** The doctor's queue of checked-in patients, updated live; admitting opens the call. */
export function WaitingRoomPanel() {
  const navigate = useNavigate();
  const now = createNow(15_000);
  const [queue, { refetch }] = createResource(() => liveApi.waitingRoom());
  holdRevealWhile(() => queue.loading);
  // Rows keyed by visit: a live refetch updates them in place, so a doctor's open confirmation
  // ("Agree and admit") or chat in one row survives an update pushed for another (or a guest's).
  const [rows, setRows] = createStore<{ list: WaitingPatient[] }>({ list: [] });
  createEffect(() => {
    const latest = queue.latest;
    if (latest) setRows('list', reconcile(latest, { key: 'appointmentId' }));
  });
  /** Live waiting-room presence by appointment, newer than the queue's own `present`. */
  const [presence, setPresence] = createSignal<Record<string, WaitingPresence>>({});
  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'appointment') void refetch();
      if (frame.type === 'waiting')
        setPresence((all) => {
          const next = frame.present ? 'here' : (frame.reason ?? 'closed');
          // The socket of a page that said it was closing drops right after: still "left".
          if (next === 'disconnected' && all[frame.appointmentId] === 'closed') return all;
          return { ...all, [frame.appointmentId]: next };
        });
    }),
  );
  onCleanup(realtime.onOpen(() => void refetch()));

  return (
    <article class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">Waiting room</h2>
      <Switch>
        <Match when={queue.loading && !queue.latest}>
          <Loading label="Loading the waiting room…" />
        </Match>
        <Match when={queue.error}>
          <ErrorState message={errorMessage(queue.error)} onRetry={() => void refetch()} />
        </Match>
        <Match when={queue.latest?.length === 0}>
          <p class="empty">Nobody is waiting.</p>
        </Match>
        <Match when={queue.latest}>
          <ul class="appointment-list" aria-live="polite">
            <For each={rows.list}>
              {(p) => (
                <QueueEntry
                  patient={p}
                  presence={presence()[p.appointmentId] ?? (p.present ? 'here' : 'away')}
                  now={now()}
                  onAdmitted={() => navigate(`/call/${encodeURIComponent(p.appointmentId)}`)}
                />
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </article>
  );
}

type WaitingPresence = 'here' | 'away' | 'closed' | 'disconnected';
const PRESENCE_TEXT: Record<WaitingPresence, string> = {
  here: 'In the waiting room',
  away: 'Not on the waiting-room page',
  closed: 'Left the waiting room',
  disconnected: 'Connection lost — may be back shortly',
};

function QueueEntry(props: {
  patient: WaitingPatient;
  presence: WaitingPresence;
  now: number;
  onAdmitted: () => void;
}) {
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [lateSent, setLateSent] = createSignal<number>();
  // The patient may write while waiting: their messages are counted here and answered before admitting.
  const chat = createChat(props.patient.appointmentId, 'doctor');
  onCleanup(() => chat.dispose());
  const [chatOpen, setChatOpen] = createSignal(false);
  const lastFromPatient = () => chat.messages().findLast((m) => m.senderRole === 'patient');
  const waitingMinutes = () =>
    Math.max(0, Math.round((props.now - Date.parse(props.patient.checkedInAt)) / 60_000));

  const admit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await liveApi.admit(props.patient.appointmentId);
      props.onAdmitted();
    } catch (err) {
      setError(errorMessage(err, 'Could not admit the patient'));
    } finally {
      setBusy(false);
    }
  };

  const late = async (minutes: number) => {
    try {
      await liveApi.runningLate(props.patient.appointmentId, minutes);
      setLateSent(minutes);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <li class="appointment">
      <div class="appointment-head">
        <h3>{props.patient.patientName}</h3>
        <span class={`status ${props.patient.deviceCheckPassed ? 'status-completed' : 'status-no-show'}`}>
          {props.patient.deviceCheckPassed ? 'Device check passed' : 'Device check incomplete'}
        </span>
      </div>
      <p class="muted">
        Appointment {formatTime(props.patient.start)} · waiting since {formatTime(props.patient.checkedInAt)}{' '}
        ({waitingMinutes()} min)
      </p>
      <p
        class="waiting-presence"
        data-testid="waiting-presence"
        classList={{ muted: props.presence !== 'here' }}
      >
        {PRESENCE_TEXT[props.presence]}
      </p>
      <div class="button-row">
        <button type="button" aria-expanded={confirming()} onClick={() => setConfirming((c) => !c)}>
          Admit
        </button>
        <button type="button" class="secondary" onClick={() => void late(10)}>
          Running 10 min late
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={chatOpen()}
          onClick={() => setChatOpen((o) => !o)}
          data-testid="queue-chat-toggle"
        >
          {chatOpen() ? 'Hide chat' : 'Chat'}
          <Show when={chat.unread() > 0}>
            {' '}
            <span class="unread-badge" data-testid="unread-count">
              {chat.unread()}
              <span class="sr-only"> unread</span>
            </span>
          </Show>
        </button>
      </div>
      <GuestSeat appointmentId={props.patient.appointmentId} viewer="doctor" />
      <Show when={!chatOpen() && lastFromPatient()}>
        {(m) => (
          <p class="muted chat-preview">
            <span class="sr-only">Latest message: </span>“{m().text.slice(0, 120)}”
          </p>
        )}
      </Show>
      <Show when={chatOpen()}>
        <ChatPanel
          appointmentId={props.patient.appointmentId}
          otherName={props.patient.patientName}
          chat={chat}
          nested
        />
      </Show>
      <Show when={lateSent()}>
        <p class="hint" role="status">
          The patient was told you are running {lateSent()} minutes late.
        </p>
      </Show>
      <Show when={confirming()}>
        <div class="inline-panel" role="group" aria-label="Consent before admitting">
          <p class="consent-text">{TELEHEALTH_CONSENT_TEXT_DOCTOR}</p>
          <button type="button" disabled={busy()} onClick={() => void admit()}>
            {busy() ? 'Admitting…' : 'Agree and admit'}
          </button>
        </div>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </li>
  );
}
