import { createEffect, createSignal, createUniqueId, For, on, onCleanup, Show } from 'solid-js';
import { MAX_CHAT_LENGTH } from '../../../shared/live';
import { ChatMessageItem } from './ChatMessageItem';
import { createChat, type Chat } from '../chat';
import { profile } from '../session';

/**
 * Chat beside the waiting room and the call; messages survive reconnects and reloads. What is on
 * screen counts as read (a receipt goes to the other side), and the other side's receipt shows as
 * "Seen" under one's own last message. A `chat` made elsewhere (the doctor's queue counts unread
 * messages while the panel is closed) is used as it is and not disposed here.
 */
export function ChatPanel(props: {
  appointmentId: string;
  otherName: string;
  chat?: Chat;
  /** A heading level below the page's, e.g. inside a queue entry. */
  nested?: boolean;
}) {
  const own = props.chat === undefined;
  const chat =
    props.chat ?? createChat(props.appointmentId, profile()?.role === 'doctor' ? 'doctor' : 'patient');
  if (own) onCleanup(() => chat.dispose());
  const [draft, setDraft] = createSignal('');
  const titleId = createUniqueId();
  const inputId = createUniqueId();
  let list: HTMLOListElement | undefined;

  createEffect(
    on(
      () => chat.messages().length,
      () => {
        if (document.visibilityState === 'visible') chat.markRead();
      },
    ),
  );
  const onVisible = () => document.visibilityState === 'visible' && chat.markRead();
  document.addEventListener('visibilitychange', onVisible);
  onCleanup(() => document.removeEventListener('visibilitychange', onVisible));

  /** My last message, when the other side's receipt covers it. */
  const seenMessageId = () => {
    const seen = chat.seenUpTo();
    if (!seen) return undefined;
    const messages = chat.messages();
    const seenAt = messages.findIndex((m) => m.messageId === seen);
    const myLast = messages.findLastIndex((m) => m.senderId === profile()?.userId);
    return seenAt >= 0 && myLast >= 0 && myLast <= seenAt ? messages[myLast]!.messageId : undefined;
  };

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
    <section class="chat" classList={{ card: !props.nested }} aria-labelledby={titleId}>
      <Show when={props.nested} fallback={<h2 id={titleId}>Chat with {props.otherName}</h2>}>
        <h4 id={titleId}>Chat with {props.otherName}</h4>
      </Show>
      <ol class="chat-log" ref={(el) => (list = el)} aria-live="polite" aria-relevant="additions">
        <For each={chat.messages()}>
          {(m) => (
            <>
              <ChatMessageItem message={m} myId={profile()?.userId} otherName={props.otherName} />
              <Show when={seenMessageId() === m.messageId}>
                <li class="chat-seen" data-testid="chat-seen">
                  Seen by {props.otherName}
                </li>
              </Show>
            </>
          )}
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
        <label for={inputId} class="sr-only">
          Message to {props.otherName}
        </label>
        <input
          id={inputId}
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
