import { A, Navigate, useLocation, useParams } from '@solidjs/router';
import { createEffect, createResource, For, Match, on, Show, Switch } from 'solid-js';
import { Loading } from '../components/Field';
import { HELP, type Audience } from '../help/content';
import { loadSession, profile } from '../session';
import './help.css';

const isAudience = (value: string | undefined): value is Audience =>
  value === 'patient' || value === 'doctor';

/** /help: the guide for the signed-in person (doctors get theirs; everyone else the patients'). */
export function HelpHome() {
  const [who] = createResource(() =>
    (profile() ? Promise.resolve(profile()) : loadSession()).then(
      (p) => p?.role,
      () => undefined,
    ),
  );
  return (
    <Show when={!who.loading} fallback={<Loading label="Opening help…" />}>
      <Navigate href={who() === 'doctor' ? '/help/doctor' : '/help/patient'} />
    </Show>
  );
}

/** /help/patient and /help/doctor: short sections with a table of contents; open to everyone. */
export default function Help() {
  const params = useParams();
  const location = useLocation();
  // A contents link moves the keyboard focus to its section, not only the scroll position.
  createEffect(
    on(
      () => location.hash,
      (hash) => {
        const target = hash ? document.getElementById(`${decodeURIComponent(hash.slice(1))}-title`) : null;
        target?.focus({ preventScroll: true });
      },
    ),
  );
  return (
    <Switch>
      <Match when={!isAudience(params.audience)}>
        <Navigate href="/help" />
      </Match>
      <Match when={HELP[params.audience as Audience]}>
        {(guide) => (
          <article class="help" aria-labelledby="help-title">
            <h1 id="help-title">{guide().title}</h1>
            <p class="lead">{guide().intro}</p>
            <nav id="contents" class="card help-toc" aria-labelledby="contents-title">
              <h2 id="contents-title" tabindex="-1">
                On this page
              </h2>
              <ol>
                <For each={guide().sections}>
                  {(section) => (
                    <li>
                      <a href={`#${section.id}`}>{section.title}</a>
                    </li>
                  )}
                </For>
              </ol>
            </nav>
            <For each={guide().sections}>
              {(section) => (
                <section id={section.id} class="card help-section" aria-labelledby={`${section.id}-title`}>
                  <h2 id={`${section.id}-title`} tabindex="-1">
                    {section.title}
                  </h2>
                  {section.body()}
                  <p class="help-top">
                    <a href="#contents">Back to the contents</a>
                  </p>
                </section>
              )}
            </For>
            <p class="muted">
              <Show
                when={params.audience === 'doctor'}
                fallback={<A href="/help/doctor">Help for doctors</A>}
              >
                <A href="/help/patient">Help for patients</A>
              </Show>
            </p>
          </article>
        )}
      </Match>
    </Switch>
  );
}
