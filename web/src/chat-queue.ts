import { WsAction, type ChatMessage, type ClientFrame, type ServerFrame } from '../../shared/live';
import { globalTimers, type Timers } from './realtime-client';

export interface PendingMessage {
  clientMessageId: string;
  text: string;
}

export interface ChatState {
  /** Stored messages, oldest first, each once. */
  messages: ChatMessage[];
  /** Written here and not yet acknowledged, in the order written. */
  pending: PendingMessage[];
  error?: string;
  /** Messages from the other participant after the last one this side marked read. */
  unread: number;
  /** The other participant has read this side's messages up to this one (a read receipt). */
  seenUpTo?: string;
}

/** What the queue needs from the realtime connection. */
export interface ChatTransport {
  readonly isOpen: boolean;
  send(frame: ClientFrame): boolean;
  onFrame(listener: (frame: ServerFrame) => void): () => void;
  /** Called on every (re)open, and at once when already open. */
  onOpen(listener: () => void): () => void;
}

export interface ChatQueueDeps {
  appointmentId: string;
  transport: ChatTransport;
  /** Unacknowledged messages survive a reload here (sessionStorage in the browser). */
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  fetchTranscript(appointmentId: string): Promise<ChatMessage[]>;
  newId?: () => string;
  timers?: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  onChange?(state: ChatState): void;
  /** The viewer's side of the visit: whose messages count as unread, whose receipts count. */
  role?: 'patient' | 'doctor';
}

/** With no acknowledgement by then, the message is sent again (same id, so it is stored once). */
export const ACK_TIMEOUT_MS = 5_000;

export const pendingStorageKey = (appointmentId: string) => `chat-pending:${appointmentId}`;
export const readStorageKey = (appointmentId: string) => `chat-read:${appointmentId}`;

function readPending(storage: ChatQueueDeps['storage'], key: string): PendingMessage[] {
  try {
    const list: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(list) ? (list as PendingMessage[]) : [];
  } catch {
    return [];
  }
}

/**
 * Chat for one appointment. Messages go one at a time and wait for their acknowledgement, so they
 * arrive in order; unacknowledged ones are kept (also across a reload, in storage) and resent
 * with the same client id after a reconnect — the server stores each id once — and on every
 * reconnect the transcript is fetched so nothing missed while offline is lost. A message the server
 * refuses is dropped from the queue with the reason shown, so later ones are not stuck behind it.
 */
export function createChatQueue(deps: ChatQueueDeps) {
  const { appointmentId, transport, storage } = deps;
  const timers = deps.timers ?? globalTimers;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const storageKey = pendingStorageKey(appointmentId);
  let state: ChatState = { messages: [], pending: readPending(storage, storageKey), unread: 0 };
  /** The last message from the other side this side has told the server it read. */
  let lastRead = storage.getItem(readStorageKey(appointmentId)) ?? '';
  const fromOther = (m: ChatMessage) => deps.role !== undefined && m.senderRole !== deps.role;
  const countUnread = (messages: ChatMessage[]) => {
    const after = messages.findIndex((m) => m.messageId === lastRead);
    return messages.slice(after + 1).filter(fromOther).length;
  };
  let inFlight: { id: string; timer: ReturnType<typeof setTimeout> } | undefined;
  let disposed = false;

  const update = (next: Partial<ChatState>) => {
    state = { ...state, ...next };
    deps.onChange?.(state);
  };

  const savePending = (pending: PendingMessage[]) => {
    update({ pending });
    storage.setItem(storageKey, JSON.stringify(pending));
  };

  const settleInFlight = () => {
    if (!inFlight) return;
    timers.clearTimeout(inFlight.timer);
    inFlight = undefined;
  };

  const merge = (incoming: ChatMessage[]) => {
    const byId = new Map(state.messages.map((m) => [m.messageId, m]));
    for (const m of incoming) byId.set(m.messageId, m);
    const messages = [...byId.values()].sort(
      (a, b) => a.sentAt.localeCompare(b.sentAt) || a.messageId.localeCompare(b.messageId),
    );
    update({ messages, unread: countUnread(messages) });
    const delivered = new Set(incoming.map((m) => m.clientMessageId));
    if (state.pending.some((p) => delivered.has(p.clientMessageId))) {
      savePending(state.pending.filter((p) => !delivered.has(p.clientMessageId)));
    }
  };

  const pump = () => {
    if (disposed || inFlight || !transport.isOpen) return;
    const next = state.pending[0];
    if (!next) return;
    const sent = transport.send({
      action: WsAction.chatSend,
      appointmentId,
      clientMessageId: next.clientMessageId,
      text: next.text,
    });
    if (!sent) return;
    inFlight = {
      id: next.clientMessageId,
      timer: timers.setTimeout(() => {
        inFlight = undefined;
        pump();
      }, ACK_TIMEOUT_MS),
    };
  };

  const resync = async () => {
    try {
      merge(await deps.fetchTranscript(appointmentId));
      update({ error: undefined });
    } catch {
      update({ error: 'Could not load earlier messages. Retrying when the connection returns.' });
    }
    if (disposed) return;
    // Whatever was in flight on the old socket may never be acknowledged: send it again.
    settleInFlight();
    pump();
  };

  const offFrame = transport.onFrame((frame) => {
    if (disposed) return;
    if (frame.type === 'chat.message' && frame.message.appointmentId === appointmentId)
      merge([frame.message]);
    if (frame.type === 'chat.ack' && frame.message.appointmentId === appointmentId) {
      merge([frame.message]);
      if (inFlight?.id === frame.clientMessageId) settleInFlight();
      pump();
    }
    if (
      frame.type === 'chat.read' &&
      frame.appointmentId === appointmentId &&
      deps.role !== undefined &&
      frame.readerRole !== deps.role
    )
      update({ seenUpTo: frame.messageId });
    // Only errors about our own chat messages concern the chat.
    if (frame.type === 'error' && frame.clientMessageId && frame.code !== 'rate_limited') {
      const refused = state.pending.find((p) => p.clientMessageId === frame.clientMessageId);
      if (!refused) return;
      if (inFlight?.id === frame.clientMessageId) settleInFlight();
      savePending(state.pending.filter((p) => p.clientMessageId !== frame.clientMessageId));
      update({ error: `Not sent: “${refused.text.slice(0, 60)}” — ${frame.message}` });
      pump();
    }
  });
  const offOpen = transport.onOpen(() => void resync());

  return {
    state: () => state,
    send(text: string) {
      const trimmed = text.trim();
      if (!trimmed) return;
      savePending([...state.pending, { clientMessageId: newId(), text: trimmed }]);
      pump();
    },
    /** The viewer has the chat in front of them: everything from the other side is read. */
    markRead() {
      const latest = state.messages.filter(fromOther).at(-1);
      if (!latest || latest.messageId === lastRead) return;
      const sent = transport.send({ action: WsAction.chatRead, appointmentId, messageId: latest.messageId });
      // Unsent (socket down), it stays unread and is marked on the next call.
      if (!sent) return;
      lastRead = latest.messageId;
      storage.setItem(readStorageKey(appointmentId), lastRead);
      update({ unread: countUnread(state.messages) });
    },
    dispose() {
      disposed = true;
      offFrame();
      offOpen();
      settleInFlight();
    },
  };
}
