import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, Match, onMount, Switch } from 'solid-js';
import { ApiError } from '../../../shared/client';
import { VISIT_LINK_PATH } from '../../../shared/rescue';
import { errorMessage } from '../appointments';
import { CheckInForm } from '../components/CheckInForm';
import { ErrorState, Loading } from '../components/Field';
import { PassCall } from '../components/PassCall';
import { ContactPractice } from '../components/PracticeContact';
import { formatTime, viewerZoneName } from '../time';
import { visitLinkApi } from '../visit-link';
import { pollWhileWaiting, storedVisitSession, visitSessionEnded } from '../visit-pass';

/** The page of a refused link: used, expired or unknown look the same (no hint which). */
function LinkRefused() {
  return (
    <section aria-labelledby="link-title">
      <h1 id="link-title">This link has been used or has expired</h1>
      <p class="lead">Each link you are texted works once, and only until the end of your visit.</p>
      <p>
        <A href="/login" class="button">
          Sign in to your account
        </A>
      </p>
      <ContactPractice lead="Or ask the practice for a new link." />
    </section>
  );
}

/**
 * `/visit-link#<token>`: the one-tap link texted to a late patient. The token is in the fragment,
 * which the browser never sends to a server (no Referer, no request log); it is removed from the
 * address at once and redeemed once for a visit session, then the device check opens; once the
 * doctor admits the patient, the call opens on the same page, with the same session.
 */
export default function VisitLink() {
  const navigate = useNavigate();
  const [refused, setRefused] = createSignal(false);
  const [problem, setProblem] = createSignal<string>();
  onMount(async () => {
    const token = window.location.hash.slice(1);
    history.replaceState(null, '', VISIT_LINK_PATH);
    if (!token) {
      if (storedVisitSession()) navigate(`${VISIT_LINK_PATH}/check`, { replace: true });
      else setRefused(true);
      return;
    }
    try {
      await visitLinkApi.redeem(token);
      navigate(`${VISIT_LINK_PATH}/check`, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 410 || err.status === 400)) setRefused(true);
      else setProblem(errorMessage(err));
    }
  });
  return (
    <Switch fallback={<Loading label="Opening your visit…" />}>
      <Match when={refused()}>
        <LinkRefused />
      </Match>
      <Match when={problem()}>
        <ErrorState message={problem()!} onRetry={() => window.location.reload()} />
      </Match>
    </Switch>
  );
}

/** The signed-out patient's device check and consent for the visit their link opened, then its call. */
export function VisitLinkCheck() {
  const [visit, { mutate, refetch }] = createResource(
    () => !!storedVisitSession(),
    () => visitLinkApi.visit(),
  );
  pollWhileWaiting(() => visit.latest?.status === 'checked_in', refetch);
  const ended = () => visitSessionEnded(visit.error);
  return (
    <section aria-labelledby="visit-title">
      <h1 id="visit-title">Your video visit</h1>
      <Switch>
        <Match when={ended()}>
          <LinkRefused />
        </Match>
        <Match when={visit.loading && !visit.latest}>
          <Loading label="Loading your visit…" />
        </Match>
        <Match when={visit.error}>
          <ErrorState message={errorMessage(visit.error)} />
        </Match>
        <Match when={visit()?.status === 'booked' && visit()}>
          {(v) => (
            <CheckInForm
              doctorName={v().visit.doctorName}
              start={v().visit.start}
              checkIn={async (deviceCheck) => {
                mutate(await visitLinkApi.checkIn(deviceCheck));
              }}
            />
          )}
        </Match>
        <Match when={visit()?.status === 'checked_in' && visit()}>
          {(v) => (
            <article class="card waiting-status" aria-live="polite">
              <h2>You are checked in</h2>
              <p>
                {v().visit.doctorName} can see that you are waiting (visit at {formatTime(v().visit.start)},{' '}
                {viewerZoneName()}).
              </p>
              <p>The doctor will let you in, and the call opens here. Keep this page open.</p>
            </article>
          )}
        </Match>
        <Match when={visit()?.status === 'in_progress' && visit()}>
          {(v) => (
            <PassCall
              appointmentId={v().visit.appointmentId}
              doctorName={v().visit.doctorName}
              join={visitLinkApi.joinCall}
              testId="patient"
            />
          )}
        </Match>
        <Match when={visit()}>
          <p class="notice">This visit is no longer open.</p>
          <ContactPractice lead="If you still need to see the doctor, please contact the practice." />
        </Match>
      </Switch>
    </section>
  );
}
