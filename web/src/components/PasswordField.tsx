import { createMemo, createSignal, For, Show } from 'solid-js';
import { PASSWORD_RULES } from '../../../shared/policy';
import { checklistAnnouncement } from '../password-checklist';

interface PasswordFieldProps {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  autocomplete: 'current-password' | 'new-password';
  /** Shows every rule of the password policy under the field, ticked as each is met. */
  checklist?: boolean;
}

/**
 * A password input with a Show/Hide button (aria-pressed; a click leaves the caret in the field) and,
 * for a new password, a checklist of every rule that ticks as the password grows.
 */
export function PasswordField(props: PasswordFieldProps) {
  const [shown, setShown] = createSignal(false);
  const id = () => `field-${props.name}`;
  const met = (test: (p: string) => boolean) => test(props.value);
  // A memo changes only when its text does, so the polite region speaks once per rule ticked.
  const announcement = createMemo(() => checklistAnnouncement(props.value));
  const describedBy = () =>
    [props.checklist ? `${id()}-rules` : '', props.error ? `${id()}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div class="field password-field" classList={{ invalid: !!props.error }}>
      <label for={id()}>{props.label}</label>
      <div class="password-row">
        <input
          id={id()}
          name={props.name}
          type={shown() ? 'text' : 'password'}
          autocomplete={props.autocomplete}
          autocapitalize="off"
          spellcheck={false}
          value={props.value}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy()}
        />
        <button
          type="button"
          class="secondary show-password"
          aria-pressed={shown()}
          aria-controls={id()}
          aria-label={`Show ${props.label.toLowerCase()}`}
          // A pointer press would move focus to the button; typing continues where it was.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => setShown(!shown())}
        >
          Show
        </button>
      </div>
      <Show when={props.checklist}>
        <ul class="password-rules" id={`${id()}-rules`} aria-label="Your password needs">
          <For each={PASSWORD_RULES}>
            {(rule) => (
              <li classList={{ met: met(rule.test) }}>
                <span class="tick" aria-hidden="true">
                  {met(rule.test) ? '✓' : '○'}
                </span>
                {rule.label}
                <span class="sr-only">{met(rule.test) ? ' (done)' : ' (not yet)'}</span>
              </li>
            )}
          </For>
        </ul>
        <p class="sr-only" aria-live="polite">
          {announcement()}
        </p>
      </Show>
      <Show when={props.error}>
        <p class="error" id={`${id()}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}
