import { createSignal } from 'solid-js';
import { allPages } from '../../shared/appointments';
import type { ChatMessage } from '../../shared/live';
import { client } from './api';
import { createChatQueue, type ChatState } from './chat-queue';
import { realtime } from './realtime';

export function fetchTranscript(appointmentId: string): Promise<ChatMessage[]> {
  return allPages((cursor) =>
    client.call('listMessages', { appointmentId }, { query: { limit: 200, cursor } }),
  );
}

/** The chat queue of one appointment (see chat-queue.ts) on the tab's realtime connection, as signals. */
export function createChat(appointmentId: string, role?: 'patient' | 'doctor') {
  const [state, setState] = createSignal<ChatState>({ messages: [], pending: [], unread: 0 });
  const queue = createChatQueue({
    appointmentId,
    role,
    transport: realtime,
    storage: sessionStorage,
    fetchTranscript,
    onChange: (next) => setState(next),
  });
  setState(queue.state());
  return {
    messages: () => state().messages,
    pending: () => state().pending,
    error: () => state().error,
    unread: () => state().unread,
    seenUpTo: () => state().seenUpTo,
    markRead: queue.markRead,
    send: queue.send,
    dispose: queue.dispose,
  };
}

export type Chat = ReturnType<typeof createChat>;
