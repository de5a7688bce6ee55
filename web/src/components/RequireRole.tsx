import { Navigate } from '@solidjs/router';
import { createResource, Match, Switch, type JSX } from 'solid-js';
import type { Role } from '../../../shared/roles';
import { homeFor, loadSession, mustSetUpTwoStep, profile, TWO_STEP_SETUP } from '../session';
import { Loading } from './Field';
import { expectSignedIn } from './Layout';

/**
 * Renders children only for a signed-in user of the given role(s); everyone else is sent home, and
 * staff without two-step sign-in to set it up.
 */
export function RequireRole(props: { role: Role | readonly Role[]; children: JSX.Element }) {
  const allowed = (role: Role) =>
    typeof props.role === 'string' ? props.role === role : props.role.includes(role);
  expectSignedIn(typeof props.role === 'string' ? [props.role] : props.role);
  const [session] = createResource(() => (profile() ? Promise.resolve(profile()) : loadSession()));
  return (
    <Switch>
      <Match when={session.loading}>
        <Loading label="Checking your session…" />
      </Match>
      <Match when={session.error}>
        <Navigate href="/login" />
      </Match>
      <Match when={!session()}>
        <Navigate href="/login" />
      </Match>
      <Match when={mustSetUpTwoStep(session()!)}>
        <Navigate href={TWO_STEP_SETUP} />
      </Match>
      <Match when={!allowed(session()!.role)}>
        <Navigate href={homeFor(session()!.role)} />
      </Match>
      <Match when={true}>{props.children}</Match>
    </Switch>
  );
}
