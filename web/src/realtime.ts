import type { ServerFrame } from '../../shared/live';
import { idToken } from './auth';
import { loadConfig } from './config';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';
type FrameListener = (frame: ServerFrame) => void;

/** API Gateway closes idle sockets after 10 minutes and every socket after 2 hours. */
const HEARTBEAT_MS = 4 * 60_000;
const ROTATE_AFTER_MS = 110 * 60_000;
const MAX_BACKOFF_MS = 10_000;

/**
 * One WebSocket per tab to the realtime API. It authenticates with a fresh ID token, sends a
 * heartbeat, replaces itself before the 2-hour limit, reconnects by itself after any drop, and
 * tells subscribers when it (re)opens so they can resynchronise.
 */
class RealtimeClient {
  private socket?: WebSocket;
  private readonly frameListeners = new Set<FrameListener>();
  private readonly openListeners = new Set<() => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private status: ConnectionStatus = 'closed';
  private users = 0;
  private attempts = 0;
  private heartbeat?: ReturnType<typeof setInterval>;
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
      if (this.users === 0) this.shutdown();
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
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends now if connected; returns false if not (callers with state to keep retry on open). */
  send(frame: object): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(JSON.stringify(frame));
    return true;
  }

  private setStatus(status: ConnectionStatus) {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }

  private async open() {
    if (this.users === 0) return;
    this.setStatus(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const [config, token] = await Promise.all([loadConfig(), idToken()]);
    if (!token || this.users === 0) return this.setStatus('closed');
    const socket = new WebSocket(`${config.wsUrl}?token=${encodeURIComponent(token)}`);
    const previous = this.socket;
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.setStatus('open');
      // A rotation opens the new socket first, then retires the old one: no gap.
      if (previous && previous !== socket) {
        previous.onclose = null;
        previous.close(1000);
      }
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.send({ action: 'ping' }), HEARTBEAT_MS);
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
      for (const l of this.frameListeners) l(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      clearInterval(this.heartbeat);
      if (this.users === 0) return this.setStatus('closed');
      this.setStatus('reconnecting');
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempts);
      this.attempts += 1;
      clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.open(), delay);
    };
  }

  private shutdown() {
    clearInterval(this.heartbeat);
    clearTimeout(this.rotation);
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onclose = null;
      socket.close(1000);
    }
    this.setStatus('closed');
  }
}

export const realtime = new RealtimeClient();
