import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WsAction, type ChatMessage, type ClientFrame, type ServerFrame } from '../../shared/live';
import {
  ACK_TIMEOUT_MS,
  createChatQueue,
  pendingStorageKey,
  readStorageKey,
  type ChatTransport,
} from './chat-queue';

const APPT = 'appt-1';
type ChatSend = Extract<ClientFrame, { action: typeof WsAction.chatSend }>;

/**
 * A connection plus a server that stores each client id once, as the real one does. The test decides
 * whether and when acknowledgements arrive and when the socket drops.
 */
function fakeConnection() {
  const frameListeners = new Set<(f: ServerFrame) => void>();
  const openListeners = new Set<() => void>();
  const stored: ChatMessage[] = [];
  const sends: ChatSend[] = [];
  let clock = 0;
  const transport: ChatTransport & { isOpen: boolean } = {
    isOpen: false,
    send(frame) {
      if (!transport.isOpen) return false;
      sends.push(frame as ChatSend);
      return true;
    },
    onFrame(l) {
      frameListeners.add(l);
      return () => frameListeners.delete(l);
    },
    onOpen(l) {
      openListeners.add(l);
      if (transport.isOpen) l();
      return () => openListeners.delete(l);
    },
  };
  const deliver = (frame: ServerFrame) => frameListeners.forEach((l) => l(frame));
  /** The server stores a send (once per client id) and returns the stored copy. */
  const store = (frame: ChatSend) => {
    let message = stored.find((m) => m.clientMessageId === frame.clientMessageId);
    if (!message) {
      clock += 1;
      message = {
        messageId: `msg-${clock}`,
        appointmentId: frame.appointmentId,
        clientMessageId: frame.clientMessageId,
        senderId: 'patient-1',
        senderRole: 'patient',
        text: frame.text,
        sentAt: new Date(Date.UTC(2026, 0, 1, 9, 0, clock)).toISOString(),
      };
      stored.push(message);
    }
    return message;
  };
  return {
    transport,
    stored,
    sends,
    store,
    deliver,
    /** The server handles the latest send and acknowledges it. */
    ack(index = sends.length - 1) {
      const frame = sends[index]!;
      deliver({ type: 'chat.ack', clientMessageId: frame.clientMessageId, message: store(frame) });
    },
    open() {
      transport.isOpen = true;
      openListeners.forEach((l) => l());
    },
    drop() {
      transport.isOpen = false;
    },
  };
}

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

function setup(conn = fakeConnection(), storage = memoryStorage()) {
  let n = 0;
  const fetchTranscript = vi.fn(async () => [...conn.stored]);
  const chat = createChatQueue({
    appointmentId: APPT,
    transport: conn.transport,
    storage,
    fetchTranscript,
    newId: () => `client-${String(++n).padStart(4, '0')}`,
  });
  const texts = () => chat.state().messages.map((m) => m.text);
  const pendingTexts = () => chat.state().pending.map((p) => p.text);
  return { conn, storage, chat, fetchTranscript, texts, pendingTexts };
}

/** Lets the transcript fetch settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the chat queue', () => {
  it('sends one message at a time, in order, each after the previous one is acknowledged', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    t.chat.send('one');
    t.chat.send('  two  ');
    t.chat.send('   ');
    t.chat.send('three');
    expect(t.conn.sends.map((s) => s.text)).toEqual(['one']);
    expect(t.pendingTexts()).toEqual(['one', 'two', 'three']);
    t.conn.ack();
    expect(t.conn.sends.map((s) => s.text)).toEqual(['one', 'two']);
    t.conn.ack();
    t.conn.ack();
    expect(t.texts()).toEqual(['one', 'two', 'three']);
    expect(t.pendingTexts()).toEqual([]);
    expect(t.conn.stored.map((m) => m.text)).toEqual(['one', 'two', 'three']);
  });

  it('resends with the same id when the acknowledgement is lost; the server keeps one copy', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    t.chat.send('hello');
    t.conn.store(t.conn.sends[0]!); // stored, but the ack never arrives
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS - 1);
    expect(t.conn.sends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.conn.sends).toHaveLength(2);
    expect(t.conn.sends[1]!.clientMessageId).toBe(t.conn.sends[0]!.clientMessageId);
    t.conn.ack();
    expect(t.texts()).toEqual(['hello']);
    expect(t.pendingTexts()).toEqual([]);
    expect(t.conn.stored).toHaveLength(1);
  });

  it('a duplicate acknowledgement shows the message once and sends nothing extra', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    t.chat.send('first');
    t.chat.send('second');
    t.conn.ack(0);
    t.conn.ack(0);
    expect(t.texts()).toEqual(['first']);
    expect(t.conn.sends.map((s) => s.text)).toEqual(['first', 'second']);
    // The same message also arrives as a chat.message for our other devices.
    t.conn.deliver({ type: 'chat.message', message: t.conn.stored[0]! });
    expect(t.texts()).toEqual(['first']);
    t.conn.ack(1);
    expect(t.texts()).toEqual(['first', 'second']);
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS * 3);
    expect(t.conn.sends).toHaveLength(2);
  });

  it('a socket dropped mid-send: nothing is lost or doubled, and the order holds after reconnecting', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    t.chat.send('a');
    t.chat.send('b');
    t.conn.store(t.conn.sends[0]!); // "a" reached the server; the socket drops before its ack
    t.conn.drop();
    t.chat.send('c'); // written while offline
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS * 2);
    expect(t.conn.sends.map((s) => s.text)).toEqual(['a']);
    expect(t.pendingTexts()).toEqual(['a', 'b', 'c']);

    t.conn.open();
    await settle();
    // The transcript shows "a" was stored: it is not sent again; "b" goes next.
    expect(t.fetchTranscript).toHaveBeenCalledTimes(2);
    expect(t.texts()).toEqual(['a']);
    expect(t.conn.sends.map((s) => s.text)).toEqual(['a', 'b']);
    t.conn.ack();
    t.conn.ack();
    expect(t.conn.stored.map((m) => m.text)).toEqual(['a', 'b', 'c']);
    expect(t.texts()).toEqual(['a', 'b', 'c']);
    expect(t.pendingTexts()).toEqual([]);
  });

  it('a send refused by a rotating socket stays queued and goes once the new socket is open', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    t.conn.drop(); // the new socket is connecting; the client refuses sends meanwhile
    t.chat.send('during rotation');
    expect(t.conn.sends).toEqual([]);
    t.conn.open();
    await settle();
    expect(t.conn.sends.map((s) => s.text)).toEqual(['during rotation']);
  });

  it('resends an in-flight message after a reconnect without waiting for the ack timeout', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    t.chat.send('x');
    t.conn.drop();
    t.conn.open();
    await settle();
    expect(t.conn.sends.map((s) => s.clientMessageId)).toEqual(['client-0001', 'client-0001']);
  });

  it('keeps unacknowledged messages in storage across a reload and sends them when connected', async () => {
    const storage = memoryStorage();
    const first = setup(fakeConnection(), storage);
    first.chat.send('survives reload');
    expect(JSON.parse(storage.data.get(pendingStorageKey(APPT))!)).toEqual([
      { clientMessageId: 'client-0001', text: 'survives reload' },
    ]);
    first.chat.dispose();

    const conn = fakeConnection();
    const second = setup(conn, storage);
    expect(second.pendingTexts()).toEqual(['survives reload']);
    conn.open();
    await settle();
    expect(conn.sends).toEqual([
      expect.objectContaining({ clientMessageId: 'client-0001', text: 'survives reload' }),
    ]);
    conn.ack();
    expect(JSON.parse(storage.data.get(pendingStorageKey(APPT))!)).toEqual([]);
  });

  it('tolerates unreadable storage', () => {
    const storage = memoryStorage();
    storage.data.set(pendingStorageKey(APPT), '{not json');
    expect(setup(fakeConnection(), storage).pendingTexts()).toEqual([]);
  });

  it('drops a refused message visibly and goes on with the next; a rate limit is retried instead', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    t.chat.send('too rude');
    t.chat.send('fine');
    t.conn.deliver({
      type: 'error',
      code: 'validation_failed',
      message: 'Not allowed',
      clientMessageId: t.conn.sends[0]!.clientMessageId,
    });
    expect(t.pendingTexts()).toEqual(['fine']);
    expect(t.chat.state().error).toBe('Not sent: “too rude” — Not allowed');
    expect(t.conn.sends.map((s) => s.text)).toEqual(['too rude', 'fine']);

    t.conn.deliver({
      type: 'error',
      code: 'rate_limited',
      message: 'slow down',
      clientMessageId: t.conn.sends[1]!.clientMessageId,
    });
    expect(t.pendingTexts()).toEqual(['fine']);
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS);
    expect(t.conn.sends.map((s) => s.text)).toEqual(['too rude', 'fine', 'fine']);
  });

  it('says when the transcript cannot be loaded, and clears it on the next reconnect', async () => {
    const t = setup();
    t.fetchTranscript.mockRejectedValueOnce(new Error('offline'));
    t.conn.open();
    await settle();
    expect(t.chat.state().error).toMatch(/Could not load earlier messages/);
    t.conn.drop();
    t.conn.open();
    await settle();
    expect(t.chat.state().error).toBeUndefined();
  });

  it('ignores messages of other appointments and stops listening once disposed', async () => {
    const t = setup();
    t.conn.open();
    await settle();
    const other = {
      ...t.conn.store({
        action: WsAction.chatSend,
        appointmentId: 'other',
        clientMessageId: 'zz-000001',
        text: 'elsewhere',
      }),
    };
    t.conn.deliver({ type: 'chat.message', message: other });
    expect(t.texts()).toEqual([]);
    t.chat.dispose();
    t.conn.deliver({ type: 'chat.message', message: { ...other, appointmentId: APPT } });
    expect(t.texts()).toEqual([]);
  });
});

describe('read receipts and unread counts', () => {
  const fromDoctor = (n: number): ChatMessage => ({
    messageId: `doc-${n}`,
    appointmentId: APPT,
    clientMessageId: `doctor-msg-${n}`,
    senderId: 'doctor-1',
    senderRole: 'doctor',
    text: `doctor says ${n}`,
    sentAt: new Date(Date.UTC(2026, 0, 1, 9, 1, n)).toISOString(),
  });

  function withRole(role: 'patient' | 'doctor', storage = memoryStorage()) {
    const conn = fakeConnection();
    const chat = createChatQueue({
      appointmentId: APPT,
      transport: conn.transport,
      storage,
      fetchTranscript: async () => [...conn.stored],
      newId: () => `client-${Math.random().toString(36).slice(2, 12)}`,
      role,
    });
    return { conn, chat, storage };
  }

  it('counts the other side’s messages as unread until marked read, and tells the server once', async () => {
    const { conn, chat, storage } = withRole('patient');
    conn.open();
    await settle();
    conn.deliver({ type: 'chat.message', message: fromDoctor(1) });
    conn.deliver({ type: 'chat.message', message: fromDoctor(2) });
    expect(chat.state().unread).toBe(2);
    chat.markRead();
    expect(chat.state().unread).toBe(0);
    expect(conn.sends).toEqual([{ action: WsAction.chatRead, appointmentId: APPT, messageId: 'doc-2' }]);
    chat.markRead();
    expect(conn.sends).toHaveLength(1);
    expect(storage.data.get(readStorageKey(APPT))).toBe('doc-2');
    conn.deliver({ type: 'chat.message', message: fromDoctor(3) });
    expect(chat.state().unread).toBe(1);
  });

  it('own messages are never unread; marking read while offline waits for the connection', async () => {
    const { conn, chat } = withRole('doctor');
    conn.deliver({ type: 'chat.message', message: fromDoctor(1) });
    expect(chat.state().unread).toBe(0);
    const patientMessage = {
      ...fromDoctor(2),
      messageId: 'pat-2',
      senderId: 'p',
      senderRole: 'patient' as const,
    };
    conn.deliver({ type: 'chat.message', message: patientMessage });
    expect(chat.state().unread).toBe(1);
    chat.markRead();
    expect(chat.state().unread).toBe(1);
    conn.open();
    await settle();
    chat.markRead();
    expect(chat.state().unread).toBe(0);
  });

  it('remembers what the other side has read, from their receipts only', () => {
    const { conn, chat } = withRole('patient');
    conn.deliver({
      type: 'chat.read',
      appointmentId: APPT,
      messageId: 'msg-1',
      readerRole: 'doctor',
      readAt: 'now',
    });
    expect(chat.state().seenUpTo).toBe('msg-1');
    conn.deliver({
      type: 'chat.read',
      appointmentId: APPT,
      messageId: 'msg-9',
      readerRole: 'patient',
      readAt: 'now',
    });
    conn.deliver({
      type: 'chat.read',
      appointmentId: 'other',
      messageId: 'msg-8',
      readerRole: 'doctor',
      readAt: 'now',
    });
    expect(chat.state().seenUpTo).toBe('msg-1');
  });
});
