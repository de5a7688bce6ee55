import { useNavigate } from '@solidjs/router';
import { createResource, Match, Switch } from 'solid-js';
import { TotpEnrolment } from '../components/TotpEnrolment';
import { Loading } from '../components/Field';
import { homeFor, loadSession, mustSetUpTwoStep, startFor } from '../session';

/**
 * Staff's first stop until they sign in with an authenticator app: the API refuses them everything
 * else (403 mfa_enrollment_required), so the app brings them here rather than to a broken dashboard.
 */
export default function TwoStepSetup() {
  const navigate = useNavigate();
  const [session] = createResource(async () => {
    const me = await loadSession().catch(() => undefined);
    if (!me) navigate('/login', { replace: true });
    else if (!mustSetUpTwoStep(me)) navigate(homeFor(me.role), { replace: true });
    return me;
  });

  const done = async () => {
    const me = await loadSession();
    navigate(me ? startFor(me) : '/login', { replace: true });
  };

  return (
    <section class="card narrow" aria-labelledby="two-step-title">
      <h1 id="two-step-title">Set up two-step sign-in</h1>
      <Switch>
        <Match when={session.loading}>
          <Loading label="Checking your session…" />
        </Match>
        <Match when={session()}>
          {(me) => (
            <>
              <p>
                Doctors and admins see patients’ health information, so they sign in with their password and a
                code from an authenticator app. It takes about a minute, once.
              </p>
              <TotpEnrolment email={me().email} onDone={done} />
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
