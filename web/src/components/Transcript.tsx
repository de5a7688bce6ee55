import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { errorMessage } from '../appointments';
import { fetchTranscript } from '../chat';
import { ChatMessageItem } from './ChatMessageItem';
import { ErrorState, Loading } from './Field';

/** The visit's chat transcript, loaded when opened; only the two participants can read it. */
export function Transcript(props: { appointmentId: string; myId?: string; otherName: string }) {
  const [open, setOpen] = createSignal(false);
  const [messages, { refetch }] = createResource(
    () => (open() ? props.appointmentId : undefined),
    (id) => fetchTranscript(id),
  );
  const panelId = () => `transcript-${props.appointmentId}`;
  return (
    <>
      <button
        type="button"
        class="link-button"
        aria-expanded={open()}
        aria-controls={panelId()}
        onClick={() => setOpen((o) => !o)}
      >
        {open() ? 'Hide chat transcript' : 'Chat transcript'}
      </button>
      <Show when={open()}>
        <div id={panelId()} class="summary-panel">
          <Switch>
            <Match when={messages.loading}>
              <Loading label="Loading the transcript…" />
            </Match>
            <Match when={messages.error}>
              <ErrorState message={errorMessage(messages.error)} onRetry={() => void refetch()} />
            </Match>
            <Match when={messages()?.length === 0}>
              <p class="empty">No messages were exchanged.</p>
            </Match>
            <Match when={messages()}>
              <ol class="chat-log transcript">
                <For each={messages()}>
                  {(m) => <ChatMessageItem message={m} myId={props.myId} otherName={props.otherName} />}
                </For>
              </ol>
            </Match>
          </Switch>
        </div>
      </Show>
    </>
  );
}
