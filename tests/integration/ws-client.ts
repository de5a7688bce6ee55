import WebSocket from 'ws';
import { platform } from './support';

export const wsUrl = (token?: string) =>
  `${platform().url.replace('http', 'ws')}/ws${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

export interface TestSocket {
  socket: WebSocket;
  frames: any[];
  send(frame: unknown): void;
  next(predicate?: (f: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

/** A real WebSocket client that records every frame it receives. */
export async function openSocket(token: string): Promise<TestSocket> {
  const socket = new WebSocket(wsUrl(token));
  const frames: any[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    async next(predicate = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = frames.findIndex(predicate);
        if (index >= 0) return frames.splice(index, 1)[0];
        if (Date.now() > deadline)
          throw new Error(`no matching frame; have ${JSON.stringify(frames).slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 15));
      }
    },
    close: () => socket.close(),
  };
}
