import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { MAX_CHAT_LENGTH } from '../../../shared/live';
import { ChatMessageItem } from './ChatMessageItem';
import { createChat } from '../chat';
import { profile } from '../session';

/** Chat beside the waiting room and the call; messages survive reconnects and reloads. */
export function ChatPanel(props: { appointmentId: string; otherName: string }) {
  const chat = createChat(props.appointmentId);
  onCleanup(() => chat.dispose());
  const [draft, setDraft] = createSignal('');
  let list: HTMLOListElement | undefined;

  createEffect(
    on(
      () => chat.messages().length + chat.pending().length,
      () => queueMicrotask(() => list?.lastElementChild?.scrollIntoView({ block: 'nearest' })),
    ),
  );

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    chat.send(draft());
    setDraft('');
  };

  return (
    <section class="chat card" aria-labelledby="chat-title">
      <h2 id="chat-title">Chat with {props.otherName}</h2>
      <ol class="chat-log" ref={(el) => (list = el)} aria-live="polite" aria-relevant="additions">
        <For each={chat.messages()}>
          {(m) => <ChatMessageItem message={m} myId={profile()?.userId} otherName={props.otherName} />}
        </For>
        <For each={chat.pending()}>
          {(p) => (
            <li class="chat-message mine pending">
              <span class="chat-meta">You · sending…</span>
              <span class="chat-text">{p.text}</span>
            </li>
          )}
        </For>
      </ol>
      <Show when={chat.messages().length === 0 && chat.pending().length === 0}>
        <p class="empty">No messages yet.</p>
      </Show>
      <Show when={chat.error()}>
        <p class="error" role="alert">
          {chat.error()}
        </p>
      </Show>
      <form class="chat-form" onSubmit={submit}>
        <label for="chat-input" class="sr-only">
          Message
        </label>
        <input
          id="chat-input"
          name="message"
          autocomplete="off"
          maxlength={MAX_CHAT_LENGTH}
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          placeholder="Type a message"
        />
        <button type="submit" disabled={!draft().trim()}>
          Send
        </button>
      </form>
    </section>
  );
}
