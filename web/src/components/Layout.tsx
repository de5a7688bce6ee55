import { A, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import type { Role } from '../../../shared/roles';
import { loadConfig } from '../config';
import { followOtherTabs, homeFor, profile, signOut } from '../session';
import { IdleWarning } from './IdleWarning';
import { PracticeFooter } from './PracticeContact';

const SECTIONS: Partial<Record<Role, { href: string; label: string; end?: boolean }[]>> = {
  patient: [
    { href: '/patient', label: 'Dashboard', end: true },
    { href: '/patient/book', label: 'Book' },
  ],
  doctor: [
    { href: '/doctor', label: 'Schedule', end: true },
    { href: '/doctor/availability', label: 'Availability' },
    { href: '/doctor/patients', label: 'Patients' },
  ],
};

const [fullScreen, setFullScreen] = createSignal(false);
/** The role(s) the page being opened is for, while the session is checked (`RequireRole`). */
const [expected, setExpected] = createSignal<readonly Role[]>();

/**
 * A signed-in page is opening for one of `roles`: until the profile arrives, the top bar keeps the
 * room its sections and account area will take (invisible stand-ins of the same size), so nothing
 * below it moves when they appear (a phone shows them on a row of their own).
 */
export function expectSignedIn(roles: readonly Role[]) {
  setExpected(roles);
  onCleanup(() => setExpected((now) => (now === roles ? undefined : now)));
}

/**
 * A page full screen while `when` holds: no site header, navigation or sign-out to tap by mistake
 * (the video call). The shell comes back when it stops holding (an error, the end) or the page goes.
 */
export function fullScreenWhile(when: () => boolean) {
  createEffect(() => setFullScreen(when()));
  onCleanup(() => setFullScreen(false));
}

export function Layout(props: RouteSectionProps) {
  const navigate = useNavigate();
  onCleanup(followOtherTabs((path) => navigate(path, { replace: true })));
  const [config] = createResource(() => loadConfig().catch(() => undefined));
  const practice = () => config()?.practice;
  createEffect(() => {
    const name = practice()?.name;
    if (name) document.title = name;
  });
  const logout = async () => {
    await signOut();
    navigate('/login', { replace: true });
  };
  /** Until the profile has loaded, the sections are stand-ins (those of the expected role). */
  const standIn = () => !profile() && !!expected();
  const sections = () => {
    const role = profile()?.role ?? expected()?.[0];
    return role ? (SECTIONS[role] ?? []) : [];
  };
  const showOutbox = () => !!profile() && !config.loading && config()?.stage === 'local';
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Show when={!fullScreen()}>
        <header class="topbar">
          <A href={profile() ? homeFor(profile()!.role) : '/'} class="brand">
            <img src={practice()?.logoUrl ?? '/favicon.svg'} alt="" width="28" height="28" />
            <span>{practice()?.name ?? ''}</span>
          </A>
          <Show when={sections().length}>
            <nav
              aria-label="Sections"
              class="sections"
              classList={{ 'stand-in': standIn() }}
              aria-hidden={standIn() || undefined}
            >
              <ul>
                <For each={sections()}>
                  {(section) => (
                    <li>
                      <A href={section.href} end={section.end} tabindex={standIn() ? -1 : undefined}>
                        {section.label}
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </nav>
          </Show>
          <Show when={standIn()}>
            <div class="account stand-in" aria-hidden="true">
              <button type="button" class="secondary" tabindex="-1">
                Sign out
              </button>
            </div>
          </Show>
          <Show when={profile()}>
            {(p) => (
              <nav aria-label="Account" class="account">
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
      </Show>
      <main id="main" tabindex="-1" classList={{ 'full-screen': fullScreen() }}>
        {props.children}
      </main>
      <IdleWarning />
      <Show when={!fullScreen()}>
        <footer class="footer">
          <PracticeFooter />
          <Show when={showOutbox()}>
            <p>
              <A href="/dev/outbox">Development outbox</A>
              <span> · text messages the local platform would have sent</span>
            </p>
          </Show>
        </footer>
      </Show>
    </>
  );
}
