import { WsAction, type ClientFrame, type ServerFrame } from '../../shared/live';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';
type FrameListener = (frame: ServerFrame) => void;

/** API Gateway closes idle sockets after 10 minutes and every socket after 2 hours. */
export const HEARTBEAT_MS = 4 * 60_000;
/** A socket that does not answer a heartbeat within this long is dead (e.g. the phone changed network). */
export const PONG_TIMEOUT_MS = 30_000;
export const ROTATE_AFTER_MS = 110 * 60_000;
/** After a failed rotation the surviving socket tries again this much later. */
export const ROTATE_RETRY_MS = 30_000;
/** Reconnect backoff: "full jitter", a uniformly random wait below BASE · 2^attempt, capped. */
export const BASE_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 30_000;

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): anywhere in
 * [0, min(MAX_BACKOFF_MS, BASE_BACKOFF_MS · 2^attempt)). Spreading the whole interval — rather than
 * a fixed step plus a little jitter — keeps thousands of clients dropped at the same moment (a
 * deployment, a network blip) from coming back in waves that hit API Gateway's 500 new connections
 * per second together.
 */
export function reconnectDelay(attempt: number, random: () => number): number {
  return random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
}
/** Moving from the waiting room to the call keeps the same socket. */
export const RELEASE_GRACE_MS = 2_000;

/**
 * Paced frames stay under the server's per-connection budget (RATE_LIMIT in shared/live.ts): in any
 * window they are at most `burst + perSecond · windowSeconds`, which leaves room for chat and media
 * state sent beside them (heartbeats are not counted).
 */
export const PACE = { burst: 30, perSecond: 8 } as const;
/** A paced frame the server refused as rate-limited goes again, first in line, this much later. */
export const RATE_LIMITED_RETRY_MS = 1_000;
/** How long a sent paced frame is remembered for a rate-limit refusal to name it. */
export const RETRY_WINDOW_MS = 10_000;
export const MAX_PACED_QUEUE = 200;

/** A frame that an error frame can name, so that it is never lost to the rate limit. */
export type PacedFrame = ClientFrame & { clientMessageId: string };

const OPEN = 1;

/** The part of a browser WebSocket the client uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

type TimerId = ReturnType<typeof setTimeout>;
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId | undefined): void;
  setInterval(fn: () => void, ms: number): TimerId;
  clearInterval(id: TimerId | undefined): void;
}

/** The platform's timers, looked up on every call (so test fakes installed later apply). */
export const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (id) => globalThis.clearInterval(id),
};

export interface RealtimeDeps {
  /** Opens a socket to the URL (a WebSocket factory). */
  connect(url: string): SocketLike;
  /** The WebSocket API's URL; may fail (configuration not loaded yet, offline). */
  endpoint(): Promise<string>;
  /** A fresh ID token; undefined when signed out; may fail (refresh failed, offline). */
  token(): Promise<string | undefined>;
  /** Without a token: the tab's visit session (a guest's, docs/adr/0021-visit-passes.md), if any. */
  pass?: () => string | undefined;
  timers?: Timers;
  random?: () => number;
  now?: () => number;
}

/**
 * One WebSocket per tab to the realtime API. It authenticates with a fresh ID token, sends a
 * heartbeat and treats a missing answer as a dead socket, replaces itself before the 2-hour limit
 * (the old socket closes only once the new one is open), reconnects by itself after any drop or
 * failure (token, config or network), and tells subscribers when it (re)opens so they can resync.
 */
export class RealtimeClient {
  private current?: SocketLike;
  private retiring?: SocketLike;
  private readonly frameListeners = new Set<FrameListener>();
  private readonly openListeners = new Set<() => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private status: ConnectionStatus = 'closed';
  private users = 0;
  private attempts = 0;
  private heartbeat?: TimerId;
  private pongTimer?: TimerId;
  private rotation?: TimerId;
  private retry?: TimerId;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly now: () => number;
  private paced: PacedFrame[] = [];
  /** GCRA's theoretical arrival time of the next paced frame. */
  private tat = 0;
  private pausedUntil = 0;
  private pacer?: TimerId;
  private readonly recent = new Map<string, { frame: PacedFrame; at: number }>();

  constructor(private readonly deps: RealtimeDeps) {
    this.timers = deps.timers ?? globalTimers;
    this.random = deps.random ?? Math.random;
    this.now = deps.now ?? (() => Date.now());
  }

  /** Start using the connection; returns a release function. The socket closes when nobody uses it. */
  acquire(): () => void {
    this.users += 1;
    // Within the grace period the socket (or its reconnection) is still there: keep it.
    if (this.users === 1 && this.status === 'closed') void this.open();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users === 0)
        this.timers.setTimeout(() => this.users === 0 && this.shutdown(), RELEASE_GRACE_MS);
    };
  }

  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Called on every (re)open: the moment to rejoin a call or fetch missed chat. */
  onOpen(listener: () => void): () => void {
    this.openListeners.add(listener);
    if (this.status === 'open') listener();
    return () => this.openListeners.delete(listener);
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  get isOpen() {
    return this.current?.readyState === OPEN;
  }

  /** Sends now if connected; returns false if not (callers with state to keep retry on open). */
  send(frame: ClientFrame): boolean {
    if (!this.isOpen) return false;
    this.current!.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Sends in order, paced to stay within the server's rate limit (frames wait while the socket is
   * down); a frame the server still refuses as rate-limited is sent again. For signalling, where a
   * lost frame stalls a call start.
   */
  sendPaced(frame: PacedFrame) {
    this.paced.push(frame);
    if (this.paced.length > MAX_PACED_QUEUE) this.paced.shift();
    this.pump();
  }

  private pump() {
    this.timers.clearTimeout(this.pacer);
    this.pacer = undefined;
    const interval = 1000 / PACE.perSecond;
    const tolerance = (PACE.burst - 1) * interval;
    const now = this.now();
    for (const [id, sent] of this.recent) if (now - sent.at > RETRY_WINDOW_MS) this.recent.delete(id);
    while (this.paced.length > 0 && this.isOpen) {
      const at = this.now();
      const wait = Math.max(this.pausedUntil - at, this.tat - tolerance - at);
      if (wait > 0) {
        this.pacer = this.timers.setTimeout(() => this.pump(), wait);
        return;
      }
      const frame = this.paced.shift()!;
      this.tat = Math.max(this.tat, at) + interval;
      this.current!.send(JSON.stringify(frame));
      this.recent.set(frame.clientMessageId, { frame, at });
    }
  }

  private retryRefused(frame: ServerFrame) {
    if (frame.type !== 'error' || frame.code !== 'rate_limited' || !frame.clientMessageId) return;
    const refused = this.recent.get(frame.clientMessageId);
    if (!refused) return;
    this.recent.delete(frame.clientMessageId);
    this.paced.unshift(refused.frame);
    this.pausedUntil = this.now() + RATE_LIMITED_RETRY_MS;
    this.pump();
  }

  private setStatus(status: ConnectionStatus) {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }

  private scheduleReconnect() {
    if (this.users === 0) return this.setStatus('closed');
    this.setStatus('reconnecting');
    const delay = reconnectDelay(this.attempts, this.random);
    this.attempts += 1;
    this.timers.clearTimeout(this.retry);
    this.retry = this.timers.setTimeout(() => void this.open(), delay);
  }

  private drop(socket: SocketLike | undefined) {
    if (!socket) return;
    socket.onopen = socket.onclose = socket.onmessage = socket.onerror = null;
    socket.close(1000);
  }

  private async open() {
    if (this.users === 0) return;
    this.setStatus(this.attempts === 0 && !this.current ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      const [endpoint, token] = await Promise.all([this.deps.endpoint(), this.deps.token()]);
      const pass = token ? undefined : this.deps.pass?.();
      if (!token && !pass) return this.setStatus('closed');
      const credential = token ? `token=${encodeURIComponent(token)}` : `pass=${encodeURIComponent(pass!)}`;
      // The connection's correlation id: on the log lines of every action it sends (docs/operations.md).
      url = `${endpoint}?${credential}&correlationId=${crypto.randomUUID()}`;
    } catch {
      return this.scheduleReconnect();
    }
    if (this.users === 0) return;
    const socket = this.deps.connect(url);
    // A rotation keeps the old socket until the new one is open.
    if (this.current?.readyState === OPEN) {
      this.drop(this.retiring);
      this.retiring = this.current;
    } else {
      this.drop(this.current);
    }
    this.current = socket;

    socket.onopen = () => {
      this.attempts = 0;
      this.drop(this.retiring);
      this.retiring = undefined;
      this.setStatus('open');
      this.timers.clearInterval(this.heartbeat);
      this.heartbeat = this.timers.setInterval(() => this.ping(socket), HEARTBEAT_MS);
      this.timers.clearTimeout(this.rotation);
      this.rotation = this.timers.setTimeout(() => void this.open(), ROTATE_AFTER_MS);
      for (const l of this.openListeners) l();
      this.pump();
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'pong') this.timers.clearTimeout(this.pongTimer);
      this.retryRefused(frame);
      for (const l of this.frameListeners) l(frame);
    };
    socket.onclose = () => {
      if (this.current !== socket) return;
      this.timers.clearInterval(this.heartbeat);
      this.timers.clearTimeout(this.pongTimer);
      // A failed rotation falls back to the socket that still works.
      if (this.retiring?.readyState === OPEN) {
        const survivor = this.retiring;
        this.current = survivor;
        this.retiring = undefined;
        this.heartbeat = this.timers.setInterval(() => this.ping(survivor), HEARTBEAT_MS);
        this.rotation = this.timers.setTimeout(() => void this.open(), ROTATE_RETRY_MS);
        return;
      }
      this.scheduleReconnect();
    };
  }

  private ping(socket: SocketLike) {
    if (socket !== this.current || socket.readyState !== OPEN) return;
    socket.send(JSON.stringify({ action: WsAction.ping }));
    this.timers.clearTimeout(this.pongTimer);
    this.pongTimer = this.timers.setTimeout(() => {
      if (socket !== this.current) return;
      // Half-open: nothing will ever close it for us.
      this.drop(socket);
      this.current = undefined;
      this.timers.clearInterval(this.heartbeat);
      this.scheduleReconnect();
    }, PONG_TIMEOUT_MS);
  }

  private shutdown() {
    this.timers.clearInterval(this.heartbeat);
    this.timers.clearTimeout(this.pongTimer);
    this.timers.clearTimeout(this.rotation);
    this.timers.clearTimeout(this.retry);
    this.timers.clearTimeout(this.pacer);
    this.paced = [];
    this.drop(this.retiring);
    this.drop(this.current);
    this.retiring = this.current = undefined;
    this.setStatus('closed');
  }
}
