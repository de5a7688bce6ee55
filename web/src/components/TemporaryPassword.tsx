import { createSignal, Show } from 'solid-js';

/**
 * A temporary password shown once, to hand over (locally nothing is mailed), with a copy button.
 * The admin page drops it from the screen at the admin's next action.
 */
export function TemporaryPassword(props: { password: string }) {
  const [copied, setCopied] = createSignal<'yes' | 'failed'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.password);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <p class="temporary-password">
      <code class="secret" aria-label="Temporary password">
        {props.password}
      </code>{' '}
      <button type="button" class="secondary" onClick={() => void copy()}>
        Copy
      </button>{' '}
      <Show when={copied()}>
        <span role="status">
          {copied() === 'yes' ? 'Copied.' : 'Could not copy: select the password and copy it by hand.'}
        </span>
      </Show>
    </p>
  );
}
