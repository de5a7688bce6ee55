import { For, Match, Switch } from 'solid-js';
import { rescueSteps, type RescueState } from '../../../shared/rescue';
import { formatTime, formatTimeIn } from '../time';

/**
 * A late patient's way back to the visit, as it happens: "Texted 10:03 · Opened link 10:04 ·
 * Checking devices", then "Waiting". Times in the practice's zone when it has one.
 */
export function RescueSteps(props: { rescue: RescueState; status: string; timeZone?: string }) {
  const at = (iso: string) =>
    props.timeZone ? formatTimeIn(Date.parse(iso), props.timeZone) : formatTime(iso);
  return (
    <ol class="rescue-steps" aria-label="Late patient" aria-live="polite">
      <For each={rescueSteps(props.rescue, props.status)}>
        {(step) => (
          <li>
            <Switch>
              <Match when={step.step === 'queued'}>Texting a link…</Match>
              <Match when={step.step === 'texted' && step}>
                {(s) => (
                  <>
                    Texted <time datetime={s().at}>{at(s().at)}</time>
                  </>
                )}
              </Match>
              <Match when={step.step === 'opened' && step}>
                {(s) => (
                  <>
                    Opened link <time datetime={s().at}>{at(s().at)}</time>
                  </>
                )}
              </Match>
              <Match when={step.step === 'checking'}>Checking devices</Match>
              <Match when={step.step === 'waiting'}>Waiting</Match>
            </Switch>
          </li>
        )}
      </For>
    </ol>
  );
}
