import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RATE_LIMIT, WsAction, type ServerFrame } from '../../shared/live';
import {
  BASE_BACKOFF_MS,
  HEARTBEAT_MS,
  MAX_BACKOFF_MS,
  PONG_TIMEOUT_MS,
  RealtimeClient,
  PACE,
  RATE_LIMITED_RETRY_MS,
  ROTATE_AFTER_MS,
  reconnectDelay,
  type ConnectionStatus,
  type SocketLike,
} from './realtime-client';

/** A scripted socket: the test decides when it opens, what arrives and when it drops. */
class FakeSocket implements SocketLike {
  readyState = 0;
  /** Frames sent, heartbeats apart. */
  sent: unknown[] = [];
  pings = 0;
  /** Answer heartbeats as a live server does. */
  autoPong = true;
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    const frame = JSON.parse(data) as { action: string; id?: string };
    if (frame.action !== WsAction.ping || frame.id) return void this.sent.push(frame);
    this.pings += 1;
    if (this.autoPong) void Promise.resolve().then(() => this.receive({ type: 'pong', at: 'now' }));
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  // ---- driven by the test
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(frame: ServerFrame) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }
  drop() {
    this.readyState = 3;
    this.onclose?.(new Event('close') as CloseEvent);
  }
}

function setup(
  options: {
    token?: () => Promise<string | undefined>;
    pass?: () => string | undefined;
    random?: () => number;
  } = {},
) {
  const sockets: FakeSocket[] = [];
  const token = vi.fn(options.token ?? (async () => 'id-token'));
  const client = new RealtimeClient({
    connect: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    endpoint: async () => 'wss://rt.example/ws',
    token,
    ...(options.pass ? { pass: options.pass } : {}),
    random: options.random ?? (() => 0),
  });
  const statuses: ConnectionStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  const frames: ServerFrame[] = [];
  client.onFrame((f) => frames.push(f));
  let opens = 0;
  client.onOpen(() => (opens += 1));
  const last = () => sockets[sockets.length - 1]!;
  return { client, sockets, token, statuses, frames, opens: () => opens, last };
}

/** Lets the token and endpoint promises settle without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the realtime client', () => {
  it('connects with the token, reports open and tells subscribers', async () => {
    const t = setup();
    t.client.acquire();
    await settle();
    expect(t.sockets).toHaveLength(1);
    expect(t.last().url).toMatch(/^wss:\/\/rt\.example\/ws\?token=id-token&correlationId=[0-9a-f-]{36}$/);
    expect(t.client.send({ action: WsAction.ping })).toBe(false);
    t.last().open();
    expect(t.statuses.at(-1)).toBe('open');
    expect(t.opens()).toBe(1);
    expect(t.client.send({ action: WsAction.ping, id: 'a' })).toBe(true);
    expect(t.last().sent).toEqual([{ action: WsAction.ping, id: 'a' }]);
  });

  it('reconnects after a drop with growing, capped backoff, and resets it once open', async () => {
    // Full jitter: the wait is random() times the attempt's ceiling; at 0.5, half of it.
    const t = setup({ random: () => 0.5 });
    t.client.acquire();
    await settle();
    t.last().open();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = t.sockets.length;
      t.last().drop();
      expect(t.statuses.at(-1)).toBe('reconnecting');
      let waited = 0;
      while (t.sockets.length === before) {
        await vi.advanceTimersByTimeAsync(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(Math.max(...delays)).toBe(MAX_BACKOFF_MS / 2);
    t.last().open();
    expect(t.opens()).toBe(2);
    t.last().drop();
    await vi.advanceTimersByTimeAsync(BASE_BACKOFF_MS / 2);
    expect(t.sockets).toHaveLength(10);
  });

  it('spreads clients dropped together over the whole backoff interval (full jitter)', async () => {
    // 100 tabs lose the server at the same moment; each has its own random source.
    const clients = Array.from({ length: 100 }, (_, i) => setup({ random: () => (i + 0.5) / 100 }));
    for (const t of clients) t.client.acquire();
    await settle();
    for (const t of clients) t.last().open();
    for (const t of clients) t.last().drop();
    const reconnectedAt: number[] = [];
    for (let waited = 0; waited <= BASE_BACKOFF_MS; waited += 10) {
      for (const [i, t] of clients.entries()) {
        if (reconnectedAt[i] === undefined && t.sockets.length === 2) reconnectedAt[i] = waited;
      }
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(reconnectedAt.filter((at) => at !== undefined)).toHaveLength(100);
    // No wave: every 50 ms slice of the first attempt's interval gets about a tenth of them.
    const slices = Array.from(
      { length: 10 },
      (_, s) => reconnectedAt.filter((at) => at > s * 50 && at <= (s + 1) * 50).length,
    );
    expect(slices.slice(1).every((n) => n >= 8 && n <= 12)).toBe(true);
  });

  it('sends a heartbeat and replaces a socket whose pong never comes', async () => {
    const t = setup();
    t.client.acquire();
    await settle();
    t.last().open();
    const first = t.last();
    first.autoPong = false;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(first.pings).toBe(1);
    first.receive({ type: 'pong', at: 'now' });
    await vi.advanceTimersByTimeAsync(PONG_TIMEOUT_MS);
    expect(first.closed).toBe(false);

    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS - PONG_TIMEOUT_MS);
    expect(first.pings).toBe(2);
    await vi.advanceTimersByTimeAsync(PONG_TIMEOUT_MS);
    expect(first.closed).toBe(true);
    expect(t.client.isOpen).toBe(false);
    expect(t.statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(250);
    expect(t.sockets).toHaveLength(2);
    t.last().open();
    expect(t.opens()).toBe(2);
  });

  it('retries when the token cannot be had, and connects once it can', async () => {
    let fail = 2;
    const t = setup({
      token: async () => {
        if (fail-- > 0) throw new Error('refresh failed');
        return 'fresh';
      },
      random: () => 0.5,
    });
    t.client.acquire();
    await settle();
    expect(t.sockets).toHaveLength(0);
    expect(t.statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(250);
    expect(t.token).toHaveBeenCalledTimes(2);
    expect(t.sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sockets).toHaveLength(1);
    expect(t.last().url).toContain('token=fresh');
    t.last().open();
    expect(t.statuses.at(-1)).toBe('open');
  });

  it('stays closed when signed out (no token) instead of hammering the server', async () => {
    const t = setup({ token: async () => undefined });
    t.client.acquire();
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sockets).toHaveLength(0);
    expect(t.token).toHaveBeenCalledTimes(1);
    expect(t.statuses.at(-1)).toBe('closed');
  });

  it("signed out with a guest's visit session in the tab, connects with ?pass= instead", async () => {
    const t = setup({ token: async () => undefined, pass: () => 'visit-session' });
    t.client.acquire();
    await settle();
    expect(t.last().url).toMatch(/^wss:\/\/rt\.example\/ws\?pass=visit-session&correlationId=[0-9a-f-]{36}$/);
    const signedIn = setup({ pass: () => 'visit-session' });
    signedIn.client.acquire();
    await settle();
    expect(signedIn.last().url).toContain('?token=id-token&');
  });

  it('rotates before two hours: the old socket keeps delivering until the new one is open', async () => {
    const t = setup();
    t.client.acquire();
    await settle();
    t.last().open();
    const old = t.last();
    await vi.advanceTimersByTimeAsync(ROTATE_AFTER_MS);
    expect(t.sockets).toHaveLength(2);
    const fresh = t.last();
    expect(old.closed).toBe(false);
    // A message racing the rotation arrives on the old socket and is still delivered…
    old.receive({ type: 'running_late', appointmentId: 'a1', minutes: 5 });
    expect(t.frames).toContainEqual({ type: 'running_late', appointmentId: 'a1', minutes: 5 });
    // …while a send is refused rather than lost in a socket that is not open (callers retry on open).
    expect(t.client.send({ action: WsAction.ping, id: 'during' })).toBe(false);
    fresh.open();
    expect(old.closed).toBe(true);
    expect(t.opens()).toBe(2);
    expect(t.client.send({ action: WsAction.ping, id: 'after' })).toBe(true);
    expect(fresh.sent).toEqual([{ action: WsAction.ping, id: 'after' }]);
    expect(old.sent).toEqual([]);
    // The old socket's late close event does not trigger a reconnect.
    old.drop();
    await vi.advanceTimersByTimeAsync(MAX_BACKOFF_MS * 2);
    expect(t.sockets).toHaveLength(2);
  });

  it('falls back to the old socket when the rotation fails, and tries again later', async () => {
    const t = setup();
    t.client.acquire();
    await settle();
    t.last().open();
    const old = t.last();
    await vi.advanceTimersByTimeAsync(ROTATE_AFTER_MS);
    t.last().drop();
    expect(t.client.isOpen).toBe(true);
    expect(t.client.send({ action: WsAction.ping, id: 'x' })).toBe(true);
    expect(old.sent).toEqual([{ action: WsAction.ping, id: 'x' }]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.sockets).toHaveLength(3);
  });

  it('closes the socket only when the last user has gone for the grace period', async () => {
    const t = setup();
    const releaseA = t.client.acquire();
    await settle();
    t.last().open();
    releaseA();
    const releaseB = t.client.acquire();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.last().closed).toBe(false);
    releaseB();
    releaseB();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(t.last().closed).toBe(true);
    expect(t.statuses.at(-1)).toBe('closed');
    expect(t.sockets).toHaveLength(1);
  });

  it('ignores frames that are not JSON', async () => {
    const t = setup();
    t.client.acquire();
    await settle();
    t.last().open();
    t.last().onmessage?.(new MessageEvent('message', { data: 'not json' }));
    t.last().receive({ type: 'call.ended', appointmentId: 'a1' });
    expect(t.frames).toEqual([{ type: 'call.ended', appointmentId: 'a1' }]);
  });
});

describe('reconnectDelay', () => {
  it('is random() times the ceiling BASE · 2^attempt, capped at MAX', () => {
    expect(reconnectDelay(0, () => 0)).toBe(0);
    expect(reconnectDelay(0, () => 0.999)).toBeCloseTo(0.999 * BASE_BACKOFF_MS);
    expect(reconnectDelay(3, () => 0.25)).toBe(0.25 * BASE_BACKOFF_MS * 8);
    expect(reconnectDelay(20, () => 0.999)).toBeCloseTo(0.999 * MAX_BACKOFF_MS);
    expect(MAX_BACKOFF_MS).toBe(30_000);
  });
});

describe('paced sending', () => {
  it('keeps paced frames within the server budget, with room for unpaced ones', () => {
    const pacedPerWindow = PACE.burst + PACE.perSecond * RATE_LIMIT.windowSeconds;
    expect(pacedPerWindow).toBeLessThanOrEqual(RATE_LIMIT.frames - 10);
  });

  const signal = (n: number) => ({
    action: WsAction.signal,
    appointmentId: 'appt-1',
    to: 'doc-1',
    clientMessageId: `signal-${String(n).padStart(4, '0')}`,
    data: { kind: 'restart' as const },
  });

  it('sends a burst at once, then at the paced rate, in order, and waits while the socket is down', async () => {
    const t = setup();
    t.client.acquire();
    await settle();
    const total = PACE.burst + 5;
    for (let i = 0; i < total; i++) t.client.sendPaced(signal(i));
    expect(t.last().sent).toEqual([]);
    t.last().open();
    expect(t.last().sent).toHaveLength(PACE.burst);
    await vi.advanceTimersByTimeAsync((1000 / PACE.perSecond) * 5);
    expect(t.last().sent).toEqual(Array.from({ length: total }, (_, i) => signal(i)));
  });

  it('sends a frame refused as rate-limited again, first in line, after a pause', async () => {
    const t = setup();
    t.client.acquire();
    await settle();
    t.last().open();
    t.client.sendPaced(signal(1));
    t.client.sendPaced(signal(2));
    t.last().receive({
      type: 'error',
      code: 'rate_limited',
      message: 'slow down',
      clientMessageId: signal(1).clientMessageId,
    });
    t.client.sendPaced(signal(3));
    expect(t.last().sent).toEqual([signal(1), signal(2)]);
    await vi.advanceTimersByTimeAsync(RATE_LIMITED_RETRY_MS);
    expect(t.last().sent).toEqual([signal(1), signal(2), signal(1), signal(3)]);
    // A refusal that names no frame of ours changes nothing.
    t.last().receive({
      type: 'error',
      code: 'rate_limited',
      message: 'slow down',
      clientMessageId: 'chat-1234',
    });
    await vi.advanceTimersByTimeAsync(RATE_LIMITED_RETRY_MS);
    expect(t.last().sent).toHaveLength(4);
  });
});
