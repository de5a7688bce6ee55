import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Appointment } from '../../../shared/appointments';
import {
  TELEHEALTH_CONSENT_TEXT,
  TELEHEALTH_CONSENT_VERSION,
  WsAction,
  type DeviceCheck as DeviceCheckResult,
} from '../../../shared/live';
import { errorMessage } from '../appointments';
import { ChatPanel } from '../components/ChatPanel';
import { DeviceCheck } from '../components/DeviceCheck';
import { GuestSeat } from '../components/GuestSeat';
import { Checkbox, ErrorState, FormError, Loading } from '../components/Field';
import { liveApi, roomOpen } from '../live';
import { realtime } from '../realtime';
import { createNow, formatDateTime, formatTime, viewerZoneName } from '../time';
import { visitProblem } from '../visit-errors';

/** The patient's check-in: device check and consent, then waiting (with chat) until admitted. */
export default function WaitingRoom() {
  const params = useParams();
  const navigate = useNavigate();
  const now = createNow(5_000);
  const release = realtime.acquire();
  onCleanup(release);
  const [appointment, { mutate, refetch }] = createResource(() => liveApi.appointment(params.appointmentId!));
  const [late, setLate] = createSignal<number>();
  const [connection, setConnection] = createSignal('connecting');
  onCleanup(realtime.onStatus(setConnection));

  const goToCall = () => navigate(`/call/${encodeURIComponent(params.appointmentId!)}`, { replace: true });

  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'appointment') {
        const next = frame.appointment;
        if (next.appointmentId !== params.appointmentId) return;
        mutate(next);
        if (next.status === 'in_progress') goToCall();
      }
      if (frame.type === 'running_late' && frame.appointmentId === params.appointmentId)
        setLate(frame.minutes);
    }),
  );
  // After a reconnect, catch up with anything missed (e.g. the admission).
  onCleanup(realtime.onOpen(() => void refetch()));

  const status = () => appointment()?.status;

  // The doctor's queue shows who has the waiting room open: say so on every (re)connect, and when
  // the page closes or is left for anywhere but the call.
  const announce = (present: boolean) =>
    status() === 'checked_in' &&
    realtime.send({ action: WsAction.waitingPresence, appointmentId: params.appointmentId!, present });
  createEffect(() => connection() === 'open' && announce(true));
  const onPageHide = () => announce(false);
  window.addEventListener('pagehide', onPageHide);
  onCleanup(() => {
    window.removeEventListener('pagehide', onPageHide);
    announce(false);
  });

  return (
    <section aria-labelledby="waiting-title">
      <h1 id="waiting-title">Waiting room</h1>
      <p class="help-link">
        <A href="/help/patient#check-in">Help with check-in and your camera</A>
      </p>
      <Switch>
        <Match when={appointment.loading && !appointment.latest}>
          <Loading label="Loading your appointment…" />
        </Match>
        <Match when={appointment.error}>
          <ErrorState
            message={visitProblem(appointment.error).message}
            onRetry={visitProblem(appointment.error).permanent ? undefined : () => void refetch()}
          />
          <A href="/patient">Back to your dashboard</A>
        </Match>
        <Match when={status() === 'in_progress'}>
          <p class="notice">The doctor has admitted you.</p>
          <button type="button" onClick={goToCall}>
            Join the call
          </button>
        </Match>
        <Match when={status() === 'checked_in'}>
          <p class="lead">
            Video visit with {appointment()!.doctorName} at {formatTime(appointment()!.start)} (
            {viewerZoneName()})
          </p>
          <div class="dashboard">
            <div class="dashboard-main">
              <article class="card waiting-status" aria-live="polite">
                <h2>You are checked in</h2>
                <p>
                  {appointment()!.doctorName} will admit you shortly. Keep this page open; you will join the
                  call automatically.
                </p>
                <Show when={late()}>
                  <p class="notice warning">The doctor is running about {late()} minutes late.</p>
                </Show>
                <p class="muted">Connection: {connection() === 'open' ? 'connected' : connection()}</p>
                <GuestSeat appointmentId={params.appointmentId!} viewer="patient" />
              </article>
            </div>
            <div class="dashboard-side">
              <ChatPanel appointmentId={params.appointmentId!} otherName={appointment()!.doctorName} />
            </div>
          </div>
        </Match>
        <Match when={status() === 'booked' && !roomOpen(appointment()!, now())}>
          <p class="notice">
            Check-in opens 15 minutes before your appointment ({formatDateTime(appointment()!.start)}).
          </p>
          <A href="/patient">Back to your dashboard</A>
        </Match>
        <Match when={status() === 'booked'}>
          <CheckInForm appointment={appointment()!} onCheckedIn={mutate} />
        </Match>
        <Match when={true}>
          <p class="notice">This appointment is {status()?.replace('_', ' ')}.</p>
          <A href="/patient">Back to your dashboard</A>
        </Match>
      </Switch>
    </section>
  );
}

function CheckInForm(props: { appointment: Appointment; onCheckedIn: (a: Appointment) => void }) {
  const [result, setResult] = createSignal<DeviceCheckResult>();
  const [consent, setConsent] = createSignal(false);
  const [consentError, setConsentError] = createSignal<string>();
  const [formError, setFormError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!consent()) return setConsentError('Please agree to continue with a video visit');
    setConsentError(undefined);
    setBusy(true);
    setFormError(undefined);
    try {
      props.onCheckedIn(
        await liveApi.checkIn(
          props.appointment.appointmentId,
          result() ?? { camera: false, microphone: false, speaker: false, browserSupported: false },
        ),
      );
    } catch (err) {
      setFormError(errorMessage(err, 'Check-in failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} novalidate>
      <p class="lead">
        Video visit with {props.appointment.doctorName} at {formatTime(props.appointment.start)} (
        {viewerZoneName()})
      </p>
      <article class="card">
        <h2>1. Check your camera, microphone and speakers</h2>
        <DeviceCheck onResult={setResult} />
      </article>
      <article class="card">
        <h2>2. Consent to a video visit</h2>
        <p class="consent-text">{TELEHEALTH_CONSENT_TEXT}</p>
        <p class="muted">Consent version {TELEHEALTH_CONSENT_VERSION}</p>
        <Checkbox
          name="consent"
          checked={consent()}
          onChange={(e) => setConsent(e.currentTarget.checked)}
          error={consentError()}
        >
          I agree to this video visit
        </Checkbox>
      </article>
      <FormError message={formError()} />
      <button type="submit" disabled={busy()}>
        {busy() ? 'Checking in…' : 'Check in'}
      </button>
    </form>
  );
}
