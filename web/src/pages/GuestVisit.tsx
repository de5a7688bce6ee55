import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { TELEHEALTH_CONSENT_VERSION } from '../../../shared/live';
import type { GuestVisit as GuestVisitState } from '../../../shared/visit-pass';
import { errorMessage } from '../appointments';
import { CheckInForm, type LeadingStep } from '../components/CheckInForm';
import { PassCall } from '../components/PassCall';
import { ErrorState, Field, Loading } from '../components/Field';
import { formatTime, viewerZoneName } from '../time';
import {
  passClient,
  pollWhileWaiting,
  redeemLink,
  storedVisitSession,
  visitSessionEnded,
} from '../visit-pass';

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
  pollWhileWaiting(() => {
    const v = visit.latest;
    return !!v?.checkedIn && !(v.admitted && v.callOpen);
  }, refetch);
  const ended = () => visitSessionEnded(visit.error);

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
          <PassCall
            appointmentId={visit.latest!.visit.appointmentId}
            doctorName={visit.latest!.visit.doctorName}
            join={() => passClient.call('guestJoinCall')}
            testId="guest"
          />
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
