import type { BrowserContext, Page } from '@playwright/test';

/**
 * The app exposes nothing for tests; to read WebRTC statistics the test wraps RTCPeerConnection in
 * its own pages and keeps every connection they create. A string, so no bundler helper enters the
 * page.
 */
export const RECORD_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__e2ePeerConnections) return;
  const made = [];
  window.__e2ePeerConnections = made;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      made.push(this);
    }
  };
})();`;

export async function recordPeerConnections(context: BrowserContext) {
  await context.addInitScript(RECORD_PEER_CONNECTIONS);
}

/** Page script: remote video frames decoded so far by the page's open peer connections (0 before any). */
export const FRAMES_DECODED = `(async () => {
  let frames = 0;
  for (const pc of window.__e2ePeerConnections ?? []) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
    });
  }
  return frames;
})()`;

/** Remote video frames decoded so far by the page's open peer connections (0 before any). */
export function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(FRAMES_DECODED);
}

/** Resolves with the page's clock time once a remote video frame has been decoded. */
export function firstFrameAt(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const poll = async () => {
      let frames = 0;
      for (const pc of window.__e2ePeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
        });
      }
      if (frames > 0) return resolve(Date.now());
      setTimeout(poll, 10);
    };
    poll();
  })`);
}

/** How many RTCPeerConnections the page has created since it loaded. */
export function peerConnectionCount(page: Page): Promise<number> {
  return page.evaluate(`(window.__e2ePeerConnections ?? []).length`);
}

/**
 * Wraps WebSocket in the test's pages to count what the app sends (by action) and the
 * `rate_limited` refusals it receives.
 */
const RECORD_SOCKET_FRAMES = `(() => {
  const Native = window.WebSocket;
  if (!Native || window.__e2eSocketFrames) return;
  const counts = { sent: {}, rateLimited: 0 };
  window.__e2eSocketFrames = counts;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        try {
          const f = JSON.parse(String(e.data));
          if (f.type === 'error' && f.code === 'rate_limited') counts.rateLimited += 1;
        } catch {}
      });
    }
    send(data) {
      try {
        const action = JSON.parse(String(data)).action;
        counts.sent[action] = (counts.sent[action] ?? 0) + 1;
      } catch {}
      return super.send(data);
    }
  };
})();`;

export async function recordSocketFrames(context: BrowserContext) {
  await context.addInitScript(RECORD_SOCKET_FRAMES);
}

export interface SocketFrameCounts {
  sent: Record<string, number>;
  rateLimited: number;
}

/** What the page's sockets sent (by action) and how many rate_limited errors came back. */
export function socketFrames(page: Page): Promise<SocketFrameCounts> {
  return page.evaluate(`window.__e2eSocketFrames ?? { sent: {}, rateLimited: 0 }`);
}
