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
export const MAX_BACKOFF_MS = 10_000;
/** Moving from the waiting room to the call keeps the same socket. */
export const RELEASE_GRACE_MS = 2_000;

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
  timers?: Timers;
  random?: () => number;
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

  constructor(private readonly deps: RealtimeDeps) {
    this.timers = deps.timers ?? globalTimers;
    this.random = deps.random ?? Math.random;
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

  private setStatus(status: ConnectionStatus) {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }

  private scheduleReconnect() {
    if (this.users === 0) return this.setStatus('closed');
    this.setStatus('reconnecting');
    const jitter = this.random() * 250;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempts) + jitter;
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
      if (!token) return this.setStatus('closed');
      url = `${endpoint}?token=${encodeURIComponent(token)}`;
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
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'pong') this.timers.clearTimeout(this.pongTimer);
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
    this.drop(this.retiring);
    this.drop(this.current);
    this.retiring = this.current = undefined;
    this.setStatus('closed');
  }
}
