import { A } from '@solidjs/router';
import { createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Appointment, Slot } from '../../../shared/appointments';
import { ApiError } from '../api';
import { appointmentsApi, errorMessage } from '../appointments';
import { downloadIcs } from '../ics';
import { usePractice } from '../practice';
import { createPagedList } from '../paging';
import { roomOpen } from '../live';
import { realtime } from '../realtime';
import { createNow, formatDateTime } from '../time';
import { GuestSeat } from './GuestSeat';
import { CancelForm } from './CancelForm';
import { ContactPractice } from './PracticeContact';
import { holdRevealWhile } from './Reveal';
import { ErrorState, FormError, Loading } from './Field';
import { SlotPicker } from './SlotPicker';
import { ShowMore, StatusBadge } from './States';

const UPCOMING = ['booked', 'checked_in', 'in_progress'] as const;

interface Props {
  /** The appointment just booked, shown highlighted. */
  highlightId?: string;
  /** Something moved into the history (cancelled). */
  onHistoryChanged: () => void;
  /** An appointment was moved or cancelled from this list. */
  onChanged?: (a: Appointment) => void;
}

export function UpcomingAppointments(props: Props) {
  const list = createPagedList((cursor) =>
    appointmentsApi.list({
      status: UPCOMING,
      // Visits that started up to two hours ago stay here while they are still open.
      from: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      order: 'asc',
      cursor,
      limit: 20,
    }),
  );
  holdRevealWhile(list.loading);
  const [notice, setNotice] = createSignal<string>();
  const now = createNow(15_000);
  const visible = () => list.items().filter((a) => a.status !== 'booked' || Date.parse(a.end) > now());

  // Live: admission, check-in and changes made elsewhere show up without a reload.
  onCleanup(realtime.acquire());
  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'appointment') void list.reload();
    }),
  );

  const replace = (next: Appointment) =>
    list.setItems((items) =>
      items
        .map((a) => (a.appointmentId === next.appointmentId ? next : a))
        .sort((a, b) => a.start.localeCompare(b.start)),
    );
  const remove = (appointmentId: string) =>
    list.setItems((items) => items.filter((a) => a.appointmentId !== appointmentId));

  return (
    <article class="card" aria-labelledby="upcoming-title">
      <h2 id="upcoming-title">Upcoming appointments</h2>
      <div role="status">
        <Show when={notice()}>
          <p class="notice">{notice()}</p>
        </Show>
      </div>
      <Switch>
        <Match when={list.firstLoading()}>
          <Loading label="Loading your appointments…" />
        </Match>
        <Match when={list.error()}>
          <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
        </Match>
        <Match when={visible().length === 0}>
          <p class="empty">
            You have no upcoming appointments. <A href="/patient/book">Book an appointment</A>
          </p>
        </Match>
        <Match when={true}>
          <ul class="appointment-list">
            <For each={visible()}>
              {(appointment) => (
                <UpcomingItem
                  now={now()}
                  appointment={appointment}
                  highlight={appointment.appointmentId === props.highlightId}
                  onMoved={(moved) => {
                    replace(moved);
                    props.onChanged?.(moved);
                    setNotice(
                      `Your appointment with ${moved.doctorName} moved to ${formatDateTime(moved.start)}.`,
                    );
                  }}
                  onCancelled={(cancelled) => {
                    remove(cancelled.appointmentId);
                    props.onChanged?.(cancelled);
                    setNotice(
                      `Your appointment with ${cancelled.doctorName} on ${formatDateTime(cancelled.start)} is cancelled.`,
                    );
                    props.onHistoryChanged();
                  }}
                />
              )}
            </For>
          </ul>
          <ShowMore list={list} />
        </Match>
      </Switch>
    </article>
  );
}

function UpcomingItem(props: {
  now: number;
  appointment: Appointment;
  highlight: boolean;
  onMoved: (a: Appointment) => void;
  onCancelled: (a: Appointment) => void;
}) {
  const [panel, setPanel] = createSignal<'cancel' | 'reschedule'>();
  const practice = usePractice();
  const a = () => props.appointment;
  const titleId = () => `appointment-${a().appointmentId}`;
  const toggle = (which: 'cancel' | 'reschedule') => setPanel((p) => (p === which ? undefined : which));
  const changeable = () => !a().changeableUntil || props.now < Date.parse(a().changeableUntil!);
  return (
    <li class="appointment" classList={{ highlight: props.highlight }}>
      <div class="appointment-head">
        <h3 id={titleId()}>
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
      <p class="reason">
        <span class="label">Reason for visit:</span> {a().reason}
      </p>
      <Show when={a().status === 'booked' && roomOpen(a(), props.now)}>
        <p>
          <A href={`/visit/${encodeURIComponent(a().appointmentId)}`} class="button">
            Check in
          </A>
        </p>
      </Show>
      <Show when={a().status === 'checked_in'}>
        <p>
          <A href={`/visit/${encodeURIComponent(a().appointmentId)}`} class="button">
            Return to the waiting room
          </A>
        </p>
      </Show>
      <Show when={a().status === 'in_progress'}>
        <p>
          <A href={`/call/${encodeURIComponent(a().appointmentId)}`} class="button">
            Join the call
          </A>
        </p>
      </Show>
      <Show when={a().status === 'booked' && !changeable()}>
        <ContactPractice lead="It is too late to change this appointment online. Please contact the practice." />
      </Show>
      <div class="button-row">
        <Show when={a().status === 'booked' && changeable()}>
          <button
            type="button"
            class="secondary"
            aria-expanded={panel() === 'reschedule'}
            onClick={() => toggle('reschedule')}
          >
            Reschedule
          </button>
          <button
            type="button"
            class="secondary"
            aria-expanded={panel() === 'cancel'}
            onClick={() => toggle('cancel')}
          >
            Cancel
          </button>
        </Show>
        <Show when={practice()}>
          {(p) => (
            <button type="button" class="secondary" onClick={() => downloadIcs(a(), p())}>
              Add to calendar
            </button>
          )}
        </Show>
      </div>
      <Show when={['booked', 'checked_in', 'in_progress'].includes(a().status)}>
        <GuestSeat appointmentId={a().appointmentId} viewer="patient" />
      </Show>
      <Show when={panel() === 'cancel'}>
        <CancelForm
          appointmentId={a().appointmentId}
          onClose={() => setPanel(undefined)}
          onConfirm={async (reason) => {
            const cancelled = await appointmentsApi.cancel(a().appointmentId, reason);
            setPanel(undefined);
            props.onCancelled(cancelled);
          }}
        />
      </Show>
      <Show when={panel() === 'reschedule'}>
        <RescheduleForm
          appointment={a()}
          onClose={() => setPanel(undefined)}
          onMoved={(moved) => {
            setPanel(undefined);
            props.onMoved(moved);
          }}
        />
      </Show>
    </li>
  );
}

function RescheduleForm(props: {
  appointment: Appointment;
  onClose: () => void;
  onMoved: (a: Appointment) => void;
}) {
  const [slot, setSlot] = createSignal<Slot>();
  const [refreshKey, setRefreshKey] = createSignal(0);
  const [slotError, setSlotError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    const chosen = slot();
    if (!chosen) return setSlotError('Choose a new time first');
    setSlotError(undefined);
    setBusy(true);
    try {
      props.onMoved(await appointmentsApi.reschedule(props.appointment.appointmentId, chosen.start));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code.startsWith('slot_')) {
        setSlotError(err.message);
        setSlot(undefined);
        setRefreshKey((k) => k + 1);
      } else {
        setFormError(errorMessage(err, 'The appointment could not be moved'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="inline-panel" onSubmit={submit} novalidate>
      <h4>Choose a new time with {props.appointment.doctorName}</h4>
      <SlotPicker
        doctorId={props.appointment.doctorId}
        purpose="reschedule"
        value={slot()?.start}
        onChange={(s) => {
          setSlot(s);
          if (s) setSlotError(undefined);
        }}
        refreshKey={refreshKey()}
        error={slotError()}
      />
      <FormError message={formError()} />
      <div class="button-row">
        <button type="submit" disabled={busy() || !slot()}>
          {busy() ? 'Moving…' : slot() ? `Move to ${formatDateTime(slot()!.start)}` : 'Move appointment'}
        </button>
        <button type="button" class="secondary" onClick={() => props.onClose()}>
          Keep current time
        </button>
      </div>
    </form>
  );
}
