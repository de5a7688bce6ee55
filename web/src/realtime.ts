import type { ServerFrame } from '../../shared/live';
import { idToken } from './auth';
import { loadConfig } from './config';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';
type FrameListener = (frame: ServerFrame) => void;

/** API Gateway closes idle sockets after 10 minutes and every socket after 2 hours. */
const HEARTBEAT_MS = 4 * 60_000;
/** A socket that does not answer a heartbeat within this long is dead (e.g. the phone changed network). */
const PONG_TIMEOUT_MS = 30_000;
const ROTATE_AFTER_MS = 110 * 60_000;
const MAX_BACKOFF_MS = 10_000;

/**
 * One WebSocket per tab to the realtime API. It authenticates with a fresh ID token, sends a
 * heartbeat and treats a missing answer as a dead socket, replaces itself before the 2-hour limit
 * (the old socket closes only once the new one is open), reconnects by itself after any drop or
 * failure (token, config or network), and tells subscribers when it (re)opens so they can resync.
 */
class RealtimeClient {
  private current?: WebSocket;
  private retiring?: WebSocket;
  private readonly frameListeners = new Set<FrameListener>();
  private readonly openListeners = new Set<() => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private status: ConnectionStatus = 'closed';
  private users = 0;
  private attempts = 0;
  private heartbeat?: ReturnType<typeof setInterval>;
  private pongTimer?: ReturnType<typeof setTimeout>;
  private rotation?: ReturnType<typeof setTimeout>;
  private retry?: ReturnType<typeof setTimeout>;

  /** Start using the connection; returns a release function. The socket closes when nobody uses it. */
  acquire(): () => void {
    this.users += 1;
    if (this.users === 1) void this.open();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      // A short grace period: moving from the waiting room to the call keeps the same socket.
      if (this.users === 0) setTimeout(() => this.users === 0 && this.shutdown(), 2_000);
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
    return this.current?.readyState === WebSocket.OPEN;
  }

  /** Sends now if connected; returns false if not (callers with state to keep retry on open). */
  send(frame: object): boolean {
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
    const jitter = Math.random() * 250;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempts) + jitter;
    this.attempts += 1;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.open(), delay);
  }

  private drop(socket: WebSocket | undefined) {
    if (!socket) return;
    socket.onopen = socket.onclose = socket.onmessage = socket.onerror = null;
    socket.close(1000);
  }

  private async open() {
    if (this.users === 0) return;
    this.setStatus(this.attempts === 0 && !this.current ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      const [config, token] = await Promise.all([loadConfig(), idToken()]);
      if (!token) return this.setStatus('closed');
      url = `${config.wsUrl}?token=${encodeURIComponent(token)}`;
    } catch {
      return this.scheduleReconnect();
    }
    if (this.users === 0) return;
    const socket = new WebSocket(url);
    // A rotation keeps the old socket until the new one is open.
    if (this.current?.readyState === WebSocket.OPEN) {
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
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.ping(socket), HEARTBEAT_MS);
      clearTimeout(this.rotation);
      this.rotation = setTimeout(() => void this.open(), ROTATE_AFTER_MS);
      for (const l of this.openListeners) l();
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'pong') clearTimeout(this.pongTimer);
      for (const l of this.frameListeners) l(frame);
    };
    socket.onclose = () => {
      if (this.current !== socket) return;
      clearInterval(this.heartbeat);
      clearTimeout(this.pongTimer);
      // A failed rotation falls back to the socket that still works.
      if (this.retiring?.readyState === WebSocket.OPEN) {
        this.current = this.retiring;
        this.retiring = undefined;
        this.heartbeat = setInterval(() => this.ping(this.current!), HEARTBEAT_MS);
        this.rotation = setTimeout(() => void this.open(), 30_000);
        return;
      }
      this.scheduleReconnect();
    };
  }

  private ping(socket: WebSocket) {
    if (socket !== this.current || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ action: 'ping' }));
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => {
      if (socket !== this.current) return;
      // Half-open: nothing will ever close it for us.
      this.drop(socket);
      this.current = undefined;
      clearInterval(this.heartbeat);
      this.scheduleReconnect();
    }, PONG_TIMEOUT_MS);
  }

  private shutdown() {
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
    clearTimeout(this.rotation);
    clearTimeout(this.retry);
    this.drop(this.retiring);
    this.drop(this.current);
    this.retiring = this.current = undefined;
    this.setStatus('closed');
  }
}

export const realtime = new RealtimeClient();
