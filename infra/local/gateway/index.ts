/**
 * The local gateway: one loopback HTTP server standing in for CloudFront (the web app), the REST
 * API and the WebSocket API with its `@connections` endpoint, calling the same handler modules.
 */
import { createServer, type Server } from 'node:http';
import type { TokenVerifier } from '../../../functions/adapters/cognito/token-verifier';
import { apiDocs, isApiDocs } from './api-docs';
import { jsonError } from './http-io';
import { restApi } from './rest';
import { webApp, type StaticOptions } from './static';
import { webSocketApi } from './websocket';

import type { LocalConnections } from './connections';
import type { HandlerLoader } from './lambda';

export { handlerLoader, type HandlerLoader } from './lambda';
export { localConnections, type LocalConnections } from './connections';

export interface GatewayOptions extends StaticOptions {
  verifier: TokenVerifier;
  loadHandler: HandlerLoader;
  /** The WebSocket connections, when the handlers' compositions share them (in-process @connections). */
  connections?: LocalConnections;
}

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const origin = `http://127.0.0.1:${options.port}`;
  const rest = restApi(options);
  const docs = apiDocs();
  const web = webApp(options);
  const websocket = webSocketApi(options);

  const parseUrl = (raw: string | undefined) => {
    try {
      return new URL(raw ?? '/', origin);
    } catch {
      return undefined;
    }
  };

  const server: Server = createServer((req, res) => {
    const fail = () => {
      if (!res.headersSent) jsonError(res, 502, 'bad_gateway', 'The handler failed');
      else res.end();
    };
    try {
      const url = parseUrl(req.url);
      if (!url) return jsonError(res, 400, 'bad_request', 'The request address is not valid');
      const work = isApiDocs(url.pathname)
        ? docs(req, res, url)
        : url.pathname === '/api' || url.pathname.startsWith('/api/')
          ? rest(req, res, url)
          : url.pathname.startsWith('/@connections/')
            ? websocket.connections(req, res, url)
            : web(req, res, url);
      Promise.resolve(work).catch(fail);
    } catch {
      fail();
    }
  });
  server.on('clientError', (_err, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req.url);
    if (!url) return socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    websocket.upgrade(req, socket, head, url);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolvePromise());
  });

  return {
    url: origin,
    close: async () => {
      websocket.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
