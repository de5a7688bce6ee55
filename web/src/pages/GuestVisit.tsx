import { A, useNavigate } from '@solidjs/router';
import {
  createEffect,
  createResource,
  createSignal,
  For,
  Match,
  onCleanup,
  onMount,
  Show,
  Switch,
} from 'solid-js';
import { TELEHEALTH_CONSENT_VERSION } from '../../../shared/live';
import type { GuestVisit as GuestVisitState } from '../../../shared/visit-pass';
import { ApiError } from '../api';
import type { CallSession } from '../call/types';
import { realtime } from '../realtime';
import { errorMessage } from '../appointments';
import { CheckInForm, type LeadingStep } from '../components/CheckInForm';
import { ErrorState, Field, Loading } from '../components/Field';
import { formatTime, viewerZoneName } from '../time';
import { passClient, redeemLink, storedVisitSession } from '../visit-pass';

/** How often the guest's waiting room asks whether the doctor has admitted them. */
const WAITING_POLL_MS = 3_000;

/** `/pass#<token>`: redeems the one-time link, then opens the guest's visit. */
export function PassLink() {
  const navigate = useNavigate();
  const [failed, setFailed] = createSignal<unknown>();
  onMount(async () => {
    const token = location.hash.slice(1);
    // The token leaves the address bar (and the history) before anything else happens.
    history.replaceState(null, '', location.pathname);
    if (!token) return setFailed(true);
    try {
      await redeemLink(token);
      navigate('/guest', { replace: true });
    } catch (err) {
      setFailed(err ?? 'failed');
    }
  });
  return (
    <section aria-labelledby="pass-title">
      <h1 id="pass-title">Your visit link</h1>
      <Show when={failed()} fallback={<Loading label="Opening your visit…" />}>
        <DeadLink />
      </Show>
    </section>
  );
}

function DeadLink() {
  return (
    <article class="card" data-testid="dead-link">
      <h2>This link has been used or has expired</h2>
      <p>
        Each visit link works once, and only until the visit ends. If you are the patient, sign in to join
        your visit. If you were invited as a guest, ask the patient or the practice for a new link.
      </p>
      <A href="/login">Sign in</A>
    </article>
  );
}

/** `/guest`: name, device check and consent, then the waiting room until the doctor admits the guest. */
export default function GuestVisit() {
  const [visit, { mutate, refetch }] = createResource(
    () => !!storedVisitSession(),
    () => passClient.call('getGuestVisit'),
  );
  const timer = setInterval(() => {
    const v = visit.latest;
    if (v?.checkedIn && !(v.admitted && v.callOpen)) void refetch();
  }, WAITING_POLL_MS);
  onCleanup(() => clearInterval(timer));
  const ended = () =>
    !storedVisitSession() || (visit.error instanceof ApiError && visit.error.status === 401);

  return (
    <section aria-labelledby="guest-title">
      <h1 id="guest-title">Join a video visit as a guest</h1>
      <Switch>
        <Match when={ended()}>
          <DeadLink />
        </Match>
        <Match when={visit.loading && !visit.latest}>
          <Loading label="Loading your visit…" />
        </Match>
        <Match when={visit.error}>
          <ErrorState message={errorMessage(visit.error)} onRetry={() => void refetch()} />
        </Match>
        <Match when={visit.latest && !visit.latest.checkedIn}>
          <GuestCheckIn visit={visit.latest!} onCheckedIn={mutate} />
        </Match>
        <Match when={visit.latest && visit.latest.admitted && visit.latest.callOpen}>
          <GuestInCall visit={visit.latest!} />
        </Match>
        <Match when={visit.latest}>
          <article class="card waiting-status" aria-live="polite" data-testid="guest-waiting">
            <h2>You are in the waiting room</h2>
            <p>
              Video visit with {visit.latest!.visit.doctorName} at {formatTime(visit.latest!.visit.start)} (
              {viewerZoneName()}). The doctor will let you in. Keep this page open.
            </p>
            <Show when={!visit.latest!.patientConsented}>
              <p class="muted">Waiting for the patient to agree to your joining.</p>
            </Show>
          </article>
        </Match>
      </Switch>
    </section>
  );
}

function GuestCheckIn(props: { visit: GuestVisitState; onCheckedIn: (v: GuestVisitState) => void }) {
  const [name, setName] = createSignal(props.visit.visit.guestName ?? '');
  const [nameError, setNameError] = createSignal<string>();
  const nameStep: LeadingStep = {
    title: 'Your name',
    fields: (
      <Field
        name="guestName"
        label="Your name, as the doctor will see it"
        value={name()}
        autocomplete="name"
        onInput={(e) => setName(e.currentTarget.value)}
        error={nameError()}
      />
    ),
    validate: () => {
      setNameError(name().trim() ? undefined : 'Enter your name');
      return !nameError();
    },
  };
  return (
    <CheckInForm
      doctorName={props.visit.visit.doctorName}
      start={props.visit.visit.start}
      leadingStep={nameStep}
      checkIn={async (deviceCheck) => {
        props.onCheckedIn(
          await passClient.call('guestCheckIn', {
            name: name().trim(),
            consentVersion: TELEHEALTH_CONSENT_VERSION,
            deviceCheck,
          }),
        );
      }}
    />
  );
}

/**
 * The admitted guest in the visit's call: their own grant (the same room, their own identity), the
 * tab's realtime socket on the visit session, and the call engine the call page uses (a p2p mesh or
 * a Twilio room). The guest sees the doctor and the patient — no chat, no transcript, no notes.
 */
function GuestInCall(props: { visit: GuestVisitState }) {
  onCleanup(realtime.acquire());
  const [call, setCall] = createSignal<CallSession>();
  const [failure, setFailure] = createSignal<unknown>();
  const appointmentId = props.visit.visit.appointmentId;
  onMount(async () => {
    try {
      const join = await passClient.call('guestJoinCall');
      const session =
        join.provider === 'p2p'
          ? await (await import('../call/p2p')).startP2PCall(appointmentId, join)
          : await (await import('../call/twilio')).startTwilioCall(appointmentId, join);
      setCall(session);
    } catch (err) {
      setFailure(err ?? 'failed');
    }
  });
  onCleanup(() => call()?.leave());
  return (
    <article class="card" aria-live="polite" data-testid="guest-in-call">
      <h2>Video visit with {props.visit.visit.doctorName}</h2>
      <Show when={failure()}>
        <ErrorState message={errorMessage(failure())} />
      </Show>
      <Show
        when={call()}
        fallback={<Show when={!failure()}>{<Loading label="Connecting to the call…" />}</Show>}
      >
        {(session) => (
          <>
            <p data-testid="guest-connected">
              {session().state() === 'ended' ? 'The visit has ended.' : 'You are in the call.'}
            </p>
            <ul class="guest-tiles">
              <GuestTile name={props.visit.visit.doctorName} stream={session().remoteStream()} />
              <For each={session().others()}>
                {(other) => <GuestTile name={other.participant.displayName} stream={other.stream()} />}
              </For>
              <GuestTile name="You" stream={session().localStream()} muted />
            </ul>
            <div class="button-row">
              <button type="button" onClick={() => session().setMic(!session().micOn())}>
                {session().micOn() ? 'Mute' : 'Unmute'}
              </button>
              <button type="button" class="secondary" onClick={() => session().leave('left')}>
                Leave
              </button>
            </div>
          </>
        )}
      </Show>
    </article>
  );
}

function GuestTile(props: { name: string; stream: MediaStream | undefined; muted?: boolean }) {
  let video: HTMLVideoElement | undefined;
  createEffect(() => {
    if (video) video.srcObject = props.stream ?? null;
  });
  return (
    <li class="other-tile">
      <video
        ref={(el) => (video = el)}
        autoplay
        playsinline
        muted={props.muted}
        aria-label={`Video of ${props.name}`}
      />
      <p class="tile-name">
        {props.name}
        <Show when={!props.stream}> · connecting…</Show>
      </p>
    </li>
  );
}
