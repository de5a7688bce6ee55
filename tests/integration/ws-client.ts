import WebSocket from 'ws';
import { WsAction, type ClientFrame, type ServerFrame } from '../../shared/live';
import { platform } from './support';

export const wsUrl = (token?: string) =>
  `${platform().url.replace('http', 'ws')}/ws${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

/** The status a refused WebSocket upgrade is answered with (fails if the upgrade is accepted). */
export function refusedStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      reject(new Error('connection was accepted'));
    });
    socket.on('error', () => undefined);
  });
}

export interface TestSocket {
  socket: WebSocket;
  frames: any[];
  /** A frame of the contract, or raw text / an off-contract object to test refusals. */
  send(frame: ClientFrame | string | Record<string, unknown>): void;
  /** The first recorded frame matching `predicate` (removed from `frames`), waiting for it to arrive. */
  next(predicate?: (f: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves once at least `count` frames have been recorded. */
  received(count: number, timeoutMs?: number): Promise<void>;
  /** Joins the call and waits for the server's acknowledgement: from then on this socket is in it. */
  joinCall(appointmentId: string): Promise<ServerFrame>;
  /**
   * A round trip: everything the server sent this socket before answering the ping has arrived.
   * Used to assert that nothing was delivered.
   */
  flush(): Promise<void>;
  close(): void;
}

/** A real WebSocket client, signed in with `token`, that records every frame it receives. */
export const openSocket = (token: string) => openSocketAt(wsUrl(token));

/** The same client for a visit session (a guest or a late patient's one-tap link: `?pass=`). */
export const openPassSocket = (session: string) =>
  openSocketAt(`${platform().url.replace('http', 'ws')}/ws?pass=${encodeURIComponent(session)}`);

async function openSocketAt(url: string): Promise<TestSocket> {
  const socket = new WebSocket(url);
  const frames: any[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const wake of [...waiters]) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  /** Resolves when `check` returns a value, re-checking on every frame; fails after the timeout. */
  function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        const value = check();
        if (value === undefined) return;
        waiters.delete(wake);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(what()));
      }, timeoutMs);
      waiters.add(wake);
      wake();
    });
  }

  let flushes = 0;
  const self: TestSocket = {
    socket,
    frames,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(predicate = () => true, timeoutMs = 5000) {
      return waitFor(
        () => {
          const index = frames.findIndex(predicate);
          return index >= 0 ? { frame: frames.splice(index, 1)[0] } : undefined;
        },
        timeoutMs,
        () => `no matching frame; have ${JSON.stringify(frames).slice(0, 500)}`,
      ).then((found) => found.frame);
    },
    received(count, timeoutMs = 10_000) {
      return waitFor(
        () => (frames.length >= count ? true : undefined),
        timeoutMs,
        () => `expected ${count} frames, have ${frames.length}`,
      ).then(() => undefined);
    },
    async joinCall(appointmentId) {
      self.send({ action: WsAction.callJoin, appointmentId });
      return self.next(
        (f) =>
          (f.type === 'call.joined' && f.appointmentId === appointmentId) ||
          (f.type === 'error' && !f.clientMessageId),
      );
    },
    async flush() {
      const id = `flush-${++flushes}`;
      self.send({ action: WsAction.ping, id });
      await self.next((f) => f.type === 'pong' && f.id === id);
    },
    close: () => socket.close(),
  };
  return self;
}
