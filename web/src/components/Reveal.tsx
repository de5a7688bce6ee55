import { children, createComputed, createContext, createSignal, Show, useContext, type JSX } from 'solid-js';

const RevealContext = createContext<(loading: () => boolean) => void>();

/**
 * Shows `fallback` (a skeleton the size of the screen's content) until every part inside has its
 * first data, then the whole content at once: parts that arrive one by one would push each other
 * (and the footer) down on a phone. The parts stay mounted, out of layout, while they load; once
 * shown they never go back to the skeleton (a later reload keeps what is on screen).
 */
export function Reveal(props: { fallback: JSX.Element; pending?: boolean; children: JSX.Element }) {
  const [waiting, setWaiting] = createSignal<(() => boolean)[]>([]);
  const [shown, setShown] = createSignal(false);
  // The parts register while they are created, before the first check below.
  const content = children(() => (
    <RevealContext.Provider value={(loading) => setWaiting((w) => [...w, loading])}>
      {props.children}
    </RevealContext.Provider>
  ));
  createComputed(() => {
    if (!shown() && !props.pending && waiting().every((loading) => !loading())) setShown(true);
  });
  return (
    <>
      <Show when={!shown()}>{props.fallback}</Show>
      <div class={shown() ? 'reveal' : 'reveal waiting'}>{content()}</div>
    </>
  );
}

/** Holds the enclosing `<Reveal>` (if any) while `loading` is true. */
export function holdRevealWhile(loading: () => boolean) {
  useContext(RevealContext)?.(loading);
}

/** A skeleton card: its title, what is loading in words, and blocks the height of its items. */
export function SkeletonCard(props: { title: string; label?: string; items: number; class?: string }) {
  return (
    <div class={`card skeleton ${props.class ?? ''}`}>
      <h2>{props.title}</h2>
      <Show when={props.label}>
        <p class="loading" role="status">
          {props.label}
        </p>
      </Show>
      <ul class="appointment-list" aria-hidden="true">
        {Array.from({ length: props.items }, () => (
          <li class="skeleton-item" />
        ))}
      </ul>
    </div>
  );
}
