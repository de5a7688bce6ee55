import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import type { Practice } from '../../../shared/practice';
import { telHref, usePractice } from '../practice';

/** "Call (212) 555-0123 or email care@…": wherever the app asks people to contact the practice. */
export function ContactLinks(props: { practice: Practice }) {
  return (
    <>
      Call <a href={telHref(props.practice.phone)}>{props.practice.phoneDisplay}</a> or email{' '}
      <a href={`mailto:${props.practice.email}`}>{props.practice.email}</a>.
    </>
  );
}

/** `lead` ("Please contact the practice.") followed by the practice's name, phone and email. */
export function ContactPractice(props: { lead: string; class?: string }) {
  const practice = usePractice();
  return (
    <p class={props.class ?? 'hint'}>
      {props.lead}{' '}
      <Show when={practice()}>
        {(p) => (
          <span class="contact-practice">
            {p().name}: <ContactLinks practice={p()} />
          </span>
        )}
      </Show>
    </p>
  );
}

/** The site footer: who runs the service, how to reach them, and the legal texts. */
export function PracticeFooter() {
  const practice = usePractice();
  return (
    <Show when={practice()}>
      {(p) => (
        <div class="practice-footer">
          <p>
            <strong>{p().name}</strong> · <ContactLinks practice={p()} />
            <Show when={p().hours}>{(hours) => <> Phone lines: {hours()}.</>}</Show>
          </p>
          <address>{p().address.join(', ')}</address>
          <p>
            <A href="/legal/terms">Terms of service</A> · <A href="/legal/privacy">Privacy notice</A>
          </p>
        </div>
      )}
    </Show>
  );
}
