import { useNavigate } from '@solidjs/router';
import { createEffect, createResource, createSignal, onCleanup } from 'solid-js';
import { loadConfig } from '../config';
import { watchIdle } from '../idle';
import { idleSignOutNotice, type IdlePhase } from '../session-rules';
import { signOutAfterIdle } from '../session';

/**
 * Signs out after the configured time without activity (15 minutes by default), with a warning
 * dialog in the final minute: an alert dialog that takes focus, counts down, and goes away at any
 * activity (a click anywhere, a key), in this tab or another of the app.
 */
export function IdleWarning() {
  const navigate = useNavigate();
  const [config] = createResource(() => loadConfig().catch(() => undefined));
  const [phase, setPhase] = createSignal<IdlePhase>({ kind: 'active' });
  let dialog: HTMLDialogElement | undefined;
  let stay: HTMLButtonElement | undefined;
  let focusBefore: Element | null = null;

  createEffect(() => {
    const settings = config();
    if (!settings) return;
    const idleSeconds = settings.idleSignOutSeconds;
    const stop = watchIdle(
      { idleMs: idleSeconds * 1000, warningMs: settings.idleWarningSeconds * 1000 },
      setPhase,
      async () => {
        await signOutAfterIdle(idleSignOutNotice(idleSeconds));
        navigate('/login', { replace: true });
      },
    );
    onCleanup(stop);
  });

  const warning = () => phase().kind === 'warning';
  createEffect(() => {
    if (!dialog) return;
    if (warning() && !dialog.open) {
      focusBefore = document.activeElement;
      dialog.showModal();
      stay?.focus();
    } else if (!warning() && dialog.open) {
      dialog.close();
      if (focusBefore instanceof HTMLElement) focusBefore.focus();
    }
  });

  const secondsLeft = () => {
    const p = phase();
    return p.kind === 'warning' ? p.secondsLeft : 0;
  };
  return (
    <dialog
      ref={(el) => (dialog = el)}
      class="idle-warning"
      role="alertdialog"
      aria-labelledby="idle-warning-title"
      aria-describedby="idle-warning-text"
      // Escape is activity like any key: the dialog closes through the phase, not on its own.
      onCancel={(e) => e.preventDefault()}
    >
      <h2 id="idle-warning-title">Are you still there?</h2>
      <p id="idle-warning-text">
        You will be signed out in <span data-testid="idle-countdown">{secondsLeft()}</span> s for your
        privacy.
      </p>
      {/* The activity listeners already kept the session: the click only has to happen. */}
      <button ref={(el) => (stay = el)} type="button">
        Stay signed in
      </button>
    </dialog>
  );
}
