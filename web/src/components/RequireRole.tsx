import { Navigate } from '@solidjs/router';
import { createResource, Match, Switch, type JSX } from 'solid-js';
import type { Role } from '../../../shared/roles';
import { homeFor, loadSession, profile } from '../session';
import { Loading } from './Field';

/** Renders children only for a signed-in user of the given role; everyone else is sent home. */
export function RequireRole(props: { role: Role; children: JSX.Element }) {
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
      <Match when={session()!.role !== props.role}>
        <Navigate href={homeFor(session()!.role)} />
      </Match>
      <Match when={true}>{props.children}</Match>
    </Switch>
  );
}
