import { createSignal } from 'solid-js';
import { allPages, type Page } from '../../shared/appointments';
import { WsAction, type ChatMessage } from '../../shared/live';
import { api } from './api';
import { realtime } from './realtime';

interface Pending {
  clientMessageId: string;
  text: string;
}

const ACK_TIMEOUT_MS = 5_000;

export function fetchTranscript(appointmentId: string): Promise<ChatMessage[]> {
  return allPages((cursor) =>
    api<Page<ChatMessage>>(
      'GET',
      `/appointments/${encodeURIComponent(appointmentId)}/messages?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  );
}

/**
 * Chat for one appointment. Messages go one at a time and wait for their acknowledgement, so they
 * arrive in order; unacknowledged ones are kept (also across a reload, in sessionStorage) and resent
 * with the same client id after a reconnect — the server stores each id once — and on every
 * reconnect the transcript is fetched so nothing missed while offline is lost.
 */
export function createChat(appointmentId: string) {
  const storageKey = `chat-pending:${appointmentId}`;
  const [messages, setMessages] = createSignal<ChatMessage[]>([]);
  const [pending, setPending] = createSignal<Pending[]>(
    JSON.parse(sessionStorage.getItem(storageKey) ?? '[]'),
  );
  const [error, setError] = createSignal<string>();
  let inFlight: { id: string; timer: ReturnType<typeof setTimeout> } | undefined;

  const savePending = (list: Pending[]) => {
    setPending(list);
    sessionStorage.setItem(storageKey, JSON.stringify(list));
  };

  const merge = (incoming: ChatMessage[]) => {
    const byId = new Map(messages().map((m) => [m.messageId, m]));
    for (const m of incoming) byId.set(m.messageId, m);
    setMessages(
      [...byId.values()].sort(
        (a, b) => a.sentAt.localeCompare(b.sentAt) || a.messageId.localeCompare(b.messageId),
      ),
    );
    const delivered = new Set(incoming.map((m) => m.clientMessageId));
    if (pending().some((p) => delivered.has(p.clientMessageId))) {
      savePending(pending().filter((p) => !delivered.has(p.clientMessageId)));
    }
  };

  const pump = () => {
    if (inFlight || !realtime.isOpen) return;
    const next = pending()[0];
    if (!next) return;
    const sent = realtime.send({
      action: WsAction.chatSend,
      appointmentId,
      clientMessageId: next.clientMessageId,
      text: next.text,
    });
    if (!sent) return;
    inFlight = {
      id: next.clientMessageId,
      // No acknowledgement: try again (same id, so it is stored once).
      timer: setTimeout(() => {
        inFlight = undefined;
        pump();
      }, ACK_TIMEOUT_MS),
    };
  };

  const resync = async () => {
    try {
      merge(await fetchTranscript(appointmentId));
      setError(undefined);
    } catch {
      setError('Could not load earlier messages. Retrying when the connection returns.');
    }
    if (inFlight) {
      clearTimeout(inFlight.timer);
      inFlight = undefined;
    }
    pump();
  };

  const offFrame = realtime.onFrame((frame) => {
    if (frame.type === 'chat.message' && frame.message.appointmentId === appointmentId)
      merge([frame.message]);
    if (frame.type === 'chat.ack' && frame.message.appointmentId === appointmentId) {
      merge([frame.message]);
      if (inFlight?.id === frame.clientMessageId) {
        clearTimeout(inFlight.timer);
        inFlight = undefined;
      }
      pump();
    }
    // Only errors about our own chat messages concern the chat; a refused message is dropped from
    // the queue (with the reason shown) so later messages are not stuck behind it.
    if (frame.type === 'error' && frame.clientMessageId && frame.code !== 'rate_limited') {
      const refused = pending().find((p) => p.clientMessageId === frame.clientMessageId);
      if (!refused) return;
      if (inFlight?.id === frame.clientMessageId) {
        clearTimeout(inFlight.timer);
        inFlight = undefined;
      }
      savePending(pending().filter((p) => p.clientMessageId !== frame.clientMessageId));
      setError(`Not sent: “${refused.text.slice(0, 60)}” — ${frame.message}`);
      pump();
    }
  });
  const offOpen = realtime.onOpen(() => void resync());

  return {
    messages,
    pending,
    error,
    send(text: string) {
      const trimmed = text.trim();
      if (!trimmed) return;
      savePending([...pending(), { clientMessageId: crypto.randomUUID(), text: trimmed }]);
      pump();
    },
    dispose() {
      offFrame();
      offOpen();
      if (inFlight) clearTimeout(inFlight.timer);
    },
  };
}
