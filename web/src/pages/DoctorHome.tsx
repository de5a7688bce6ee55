import { A } from '@solidjs/router';
import { Dynamic } from 'solid-js/web';
import { createMemo, createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Appointment } from '../../../shared/appointments';
import { DEFAULT_NO_SHOW_GRACE_MINUTES, noShowAllowedFrom, type RescueState } from '../../../shared/rescue';
import { allPages, appointmentsApi, errorMessage, notesPath } from '../appointments';
import { BookingNotices } from '../components/BookingNotices';
import { CancelForm } from '../components/CancelForm';
import { ErrorState, Loading } from '../components/Field';
import { NotesToWrite } from '../components/NotesToWrite';
import { RescueSteps } from '../components/RescueSteps';
import { VisitRatesCard } from '../components/VisitRatesCard';
import { usePractice } from '../practice';
import { Reveal, SkeletonCard } from '../components/Reveal';
import { StatusBadge } from '../components/States';
import { WaitingRoomPanel } from '../components/WaitingRoomPanel';
import { realtime } from '../realtime';
import { profile } from '../session';
import {
  addDays,
  viewerZoneName,
  createNow,
  dayKey,
  formatLongDay,
  formatTimeRange,
  startOfDay,
} from '../time';

const COMPLETABLE = ['booked', 'checked_in', 'in_progress'];
const NO_SHOW_ALLOWED = ['booked', 'checked_in'];

export default function DoctorHome() {
  const now = createNow();
  const [schedule, { mutate, refetch }] = createResource(async () => {
    const from = startOfDay(new Date());
    const to = addDays(from, 7);
    return allPages((cursor) =>
      appointmentsApi.list({
        from: from.toISOString(),
        to: to.toISOString(),
        order: 'asc',
        cursor,
        limit: 100,
      }),
    );
  });
  const [availability] = createResource(() => appointmentsApi.availability().catch(() => undefined));
  const practice = usePractice();
  // Late patients texted a link today: what they have done with it, kept live by `rescue` frames.
  const [rescues, setRescues] = createSignal<Record<string, RescueState>>({});
  const loadRescues = () => {
    const from = startOfDay(new Date());
    appointmentsApi
      .rescues(from.toISOString(), addDays(from, 1).toISOString())
      .then((items) => setRescues(Object.fromEntries(items.map((r) => [r.appointmentId, r]))))
      .catch(() => undefined);
  };
  loadRescues();

  const today = () => dayKey(new Date(now()));
  const byDay = createMemo(() => {
    const groups = new Map<string, Appointment[]>();
    if (schedule.error || !schedule.latest) return groups;
    for (const a of schedule.latest) {
      const key = dayKey(new Date(a.start));
      groups.set(key, [...(groups.get(key) ?? []), a]);
    }
    return groups;
  });
  const todays = () => byDay().get(today()) ?? [];
  const laterDays = () => [...byDay().entries()].filter(([key]) => key > today());

  const replace = (next: Appointment) =>
    mutate((list) => list?.map((a) => (a.appointmentId === next.appointmentId ? next : a)));

  // Live: bookings, cancellations and check-ins appear without a reload.
  onCleanup(realtime.acquire());
  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'rescue')
        setRescues((all) => ({ ...all, [frame.rescue.appointmentId]: frame.rescue }));
      if (frame.type !== 'appointment') return;
      const next = frame.appointment;
      mutate((list) => {
        if (!list) return list;
        const others = list.filter((a) => a.appointmentId !== next.appointmentId);
        const from = startOfDay(new Date()).getTime();
        const inRange =
          Date.parse(next.start) >= from && Date.parse(next.start) < addDays(new Date(from), 7).getTime();
        return (inRange ? [...others, next] : others).sort((a, b) => a.start.localeCompare(b.start));
      });
    }),
  );
  onCleanup(
    realtime.onOpen(() => {
      void refetch();
      loadRescues();
    }),
  );

  const day = (items: Appointment[], headingLevel: 3 | 4) => (
    <ul class="appointment-list">
      <For each={items}>
        {(a) => (
          <ScheduleItem
            appointment={a}
            now={now()}
            onChanged={replace}
            headingLevel={headingLevel}
            rescue={rescues()[a.appointmentId]}
            onRescue={(r) => setRescues((all) => ({ ...all, [r.appointmentId]: r }))}
            graceMinutes={practice()?.noShowGraceMinutes ?? DEFAULT_NO_SHOW_GRACE_MINUTES}
            timeZone={practice()?.timeZone}
          />
        )}
      </For>
    </ul>
  );

  return (
    <section aria-labelledby="doctor-title">
      <h1 id="doctor-title">Doctor dashboard</h1>
      <p class="lead">
        {profile()?.name}
        {profile()?.specialty ? ` · ${profile()!.specialty}` : ''}
      </p>
      <p class="muted">Times are shown in your time zone ({viewerZoneName()}).</p>
      <p class="help-link">
        <A href="/help/doctor">Help: waiting room, calls and notes</A>
      </p>
      <BookingNotices />
      <Reveal
        pending={schedule.loading || availability.loading}
        fallback={
          <div class="dashboard even">
            <SkeletonCard title="Today’s schedule" label="Loading your schedule…" items={2} />
            <SkeletonCard title="The week ahead" items={2} />
          </div>
        }
      >
        <Show when={availability() && !availability()!.configured}>
          <p class="notice warning">
            Patients cannot book you yet. <A href="/doctor/availability">Set your weekly hours</A> to open
            your calendar.
          </p>
        </Show>
        <WaitingRoomPanel />
        <NotesToWrite />
        <Switch>
          <Match when={schedule.loading && !schedule.latest}>
            <Loading label="Loading your schedule…" />
          </Match>
          <Match when={schedule.error}>
            <ErrorState message={errorMessage(schedule.error)} onRetry={() => void refetch()} />
          </Match>
          <Match when={true}>
            <div class="dashboard even">
              <article class="card" aria-labelledby="today-title">
                <h2 id="today-title">Today’s schedule</h2>
                <Show when={todays().length} fallback={<p class="empty">No appointments today.</p>}>
                  {day(todays(), 3)}
                </Show>
              </article>
              <article class="card" aria-labelledby="week-title">
                <h2 id="week-title">The week ahead</h2>
                <Show
                  when={laterDays().length}
                  fallback={<p class="empty">Nothing booked for the next six days.</p>}
                >
                  <For each={laterDays()}>
                    {([key, items]) => (
                      <section class="day-group" aria-labelledby={`day-${key}`}>
                        <h3 id={`day-${key}`}>{formatLongDay(key)}</h3>
                        {day(items, 4)}
                      </section>
                    )}
                  </For>
                </Show>
              </article>
            </div>
            <VisitRatesCard />
          </Match>
        </Switch>
      </Reveal>
    </section>
  );
}

function ScheduleItem(props: {
  appointment: Appointment;
  now: number;
  onChanged: (a: Appointment) => void;
  headingLevel: 3 | 4;
  rescue?: RescueState;
  onRescue: (r: RescueState) => void;
  graceMinutes: number;
  timeZone?: string;
}) {
  const a = () => props.appointment;
  const [cancelling, setCancelling] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const started = () => Date.parse(a().start) <= props.now;
  const canComplete = () => started() && COMPLETABLE.includes(a().status);
  const graceOver = () => noShowAllowedFrom(a().start, props.graceMinutes) <= props.now;
  const canNoShow = () => graceOver() && NO_SHOW_ALLOWED.includes(a().status);
  const canResend = () =>
    !!props.rescue?.sends && a().status === 'booked' && started() && Date.parse(a().end) > props.now;
  const [resent, setResent] = createSignal(false);
  const resend = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onRescue(await appointmentsApi.resendLink(a().appointmentId));
      setResent(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const canCancel = () => a().status === 'booked' && !started();
  const open = () => COMPLETABLE.includes(a().status);

  const act = async (run: () => Promise<Appointment>) => {
    setBusy(true);
    setError(undefined);
    try {
      props.onChanged(await run());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="appointment" classList={{ muted: !open() }}>
      <div class="appointment-head">
        <Dynamic component={props.headingLevel === 3 ? 'h3' : 'h4'}>
          <time datetime={a().start}>{formatTimeRange(a().start, a().end)}</time>
        </Dynamic>
        <StatusBadge status={a().status} />
      </div>
      <p class="who">
        <A href={`/doctor/patients/${encodeURIComponent(a().patientId)}`}>{a().patientName}</A>
      </p>
      <p class="reason">
        <span class="label">Reason for visit:</span> {a().reason}
      </p>
      <Show when={a().status === 'cancelled' && a().cancelReason}>
        <p class="reason">
          <span class="label">Cancelled by {a().cancelledBy === 'doctor' ? 'you' : 'the patient'}:</span>{' '}
          {a().cancelReason}
        </p>
      </Show>
      <Show when={a().status === 'in_progress'}>
        <p>
          <A href={`/call/${encodeURIComponent(a().appointmentId)}`} class="button">
            Join the call
          </A>
        </p>
      </Show>
      <Show when={a().status === 'checked_in'}>
        <p class="hint">The patient is in the waiting room.</p>
      </Show>
      <Show when={props.rescue?.sends && open() ? props.rescue : undefined}>
        {(rescue) => <RescueSteps rescue={rescue()} status={a().status} timeZone={props.timeZone} />}
      </Show>
      <Show when={a().status === 'completed'}>
        <p>
          <A href={notesPath(a())}>Notes and summary for {a().patientName}</A>
        </p>
      </Show>
      <Show when={open()}>
        <div class="button-row">
          <button
            type="button"
            class="secondary"
            disabled={!canComplete() || busy()}
            onClick={() => void act(() => appointmentsApi.complete(a().appointmentId))}
          >
            Mark complete
          </button>
          <button
            type="button"
            class="secondary"
            disabled={!canNoShow() || busy()}
            onClick={() => void act(() => appointmentsApi.noShow(a().appointmentId))}
          >
            No-show
          </button>
          <Show when={canResend()}>
            <button type="button" class="secondary" disabled={busy()} onClick={() => void resend()}>
              Send a new link
            </button>
          </Show>
          <Show when={canCancel()}>
            <button
              type="button"
              class="secondary"
              aria-expanded={cancelling()}
              onClick={() => setCancelling((c) => !c)}
            >
              Cancel
            </button>
          </Show>
        </div>
        <Show when={!started()}>
          <p class="hint">
            “Mark complete” unlocks at the start time, “No-show” {props.graceMinutes} minutes after it.
          </p>
        </Show>
        <Show when={started() && !graceOver() && NO_SHOW_ALLOWED.includes(a().status)}>
          <p class="hint">“No-show” unlocks {props.graceMinutes} minutes after the start.</p>
        </Show>
        <Show when={resent()}>
          <p class="hint" role="status">
            A new link is on its way; the previous one no longer works.
          </p>
        </Show>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={cancelling() && canCancel()}>
        <CancelForm
          appointmentId={a().appointmentId}
          onClose={() => setCancelling(false)}
          onConfirm={async (reason) => {
            const cancelled = await appointmentsApi.cancel(a().appointmentId, reason);
            setCancelling(false);
            props.onChanged(cancelled);
          }}
        />
      </Show>
    </li>
  );
}
