import { A, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { Show } from 'solid-js';
import { homeFor, profile, signOut } from '../session';

export function Layout(props: RouteSectionProps) {
  const navigate = useNavigate();
  const logout = async () => {
    await signOut();
    navigate('/login', { replace: true });
  };
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <A href={profile() ? homeFor(profile()!.role) : '/login'} class="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Telehealth</span>
        </A>
        <Show when={profile()}>
          {(p) => (
            <nav aria-label="Account">
              <span class="who">
                {p().name} <span class="role-badge">{p().role}</span>
              </span>
              <button type="button" class="secondary" onClick={logout}>
                Sign out
              </button>
            </nav>
          )}
        </Show>
      </header>
      <main id="main" tabindex="-1">
        {props.children}
      </main>
    </>
  );
}
