/**
 * The WebSocket API as API Gateway runs it: the $connect authorizer, $connect/$disconnect and
 * action routes invoking their handlers, and the `@connections` management endpoint the handlers
 * reply through.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayAuthorizerResult, APIGatewayProxyResult } from 'aws-lambda';
import { WebSocketServer, type WebSocket } from 'ws';
import { wsAuthorizer, wsRouteList } from '../../../functions/routes';
import { jsonError, readBody, type Route } from './http-io';
import { lambdaContext, type HandlerLoader } from './lambda';

/** API Gateway's own limit. */
const MAX_WS_FRAME_BYTES = 128 * 1024;

export interface WebSocketApi {
  /** Serves `/@connections/<id>`: POST sends a frame, GET describes, DELETE closes. */
  connections: Route;
  /** Takes over an HTTP upgrade to `/ws`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  close(): void;
}

export function webSocketApi(options: { port: number; loadHandler: HandlerLoader }): WebSocketApi {
  const { loadHandler } = options;
  const sockets = new Map<
    string,
    { socket: WebSocket; authorizer: Record<string, string>; connectedAt: number }
  >();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME_BYTES });

  const connections: Route = (req, res, url) => {
    let connectionId: string;
    try {
      connectionId = decodeURIComponent(url.pathname.slice('/@connections/'.length));
    } catch {
      return jsonError(res, 400, 'bad_path', 'The address is not valid');
    }
    const entry = sockets.get(connectionId);
    if (!entry) {
      res.writeHead(410, { 'x-amzn-errortype': 'GoneException', 'content-type': 'application/json' });
      return res.end(JSON.stringify({ message: 'Gone' }));
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ConnectedAt: new Date(entry.connectedAt).toISOString() }));
    }
    if (req.method === 'DELETE') {
      entry.socket.close(1000);
      res.writeHead(204);
      return res.end();
    }
    return readBody(req, MAX_WS_FRAME_BYTES).then(
      (data) => {
        entry.socket.send(data.toString('utf8'));
        res.writeHead(200);
        res.end();
      },
      () => jsonError(res, 413, 'payload_too_large', 'Frame too large'),
    );
  };

  async function invokeWs(
    routeKey: string,
    connectionId: string,
    authorizer: Record<string, string>,
    body?: string,
  ) {
    const route =
      wsRouteList.find((r) => r.route === routeKey) ?? wsRouteList.find((r) => r.route === '$default')!;
    const handler = await loadHandler(route.handler);
    const eventType =
      routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
    return (await handler(
      {
        requestContext: {
          routeKey: route.route,
          eventType,
          connectionId,
          requestId: randomUUID(),
          domainName: `127.0.0.1:${options.port}`,
          stage: 'local',
          apiId: 'local',
          connectedAt: sockets.get(connectionId)?.connectedAt ?? Date.now(),
          requestTimeEpoch: Date.now(),
          messageDirection: 'IN',
          authorizer,
        },
        body,
        isBase64Encoded: false,
      },
      lambdaContext(route.handler),
    )) as APIGatewayProxyResult;
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    void (async () => {
      let authorizer: Record<string, string>;
      try {
        const authorize = await loadHandler(wsAuthorizer.handler);
        const result = (await authorize(
          {
            type: 'REQUEST',
            methodArn: 'arn:aws:execute-api:local:000000000000:local/local/$connect',
            queryStringParameters: Object.fromEntries(url.searchParams.entries()),
            headers: {},
            requestContext: { routeKey: '$connect', eventType: 'CONNECT' },
          },
          lambdaContext(wsAuthorizer.handler),
        )) as APIGatewayAuthorizerResult;
        // As API Gateway: only an Allow of this $connect lets the upgrade through; any Deny is a 403.
        const allowed = result.policyDocument.Statement.every((statement) => statement.Effect === 'Allow');
        if (!allowed) return refuse(403, 'Forbidden');
        authorizer = (result.context ?? {}) as Record<string, string>;
      } catch {
        return refuse(401, 'Unauthorized');
      }
      const connectionId = randomBytes(12).toString('base64').replace(/\//g, '_');
      const connected = await invokeWs('$connect', connectionId, authorizer).catch(() => undefined);
      if (!connected || connected.statusCode !== 200) return refuse(403, 'Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.set(connectionId, { socket: ws, authorizer, connectedAt: Date.now() });
        ws.on('message', (data, isBinary) => {
          const text = isBinary ? '' : data.toString();
          let action = '$default';
          try {
            const parsed = JSON.parse(text) as { action?: unknown };
            if (typeof parsed?.action === 'string') action = parsed.action;
          } catch {
            // Not JSON: API Gateway routes it to $default too.
          }
          if (action.startsWith('$')) action = '$default';
          invokeWs(action, connectionId, authorizer, text).catch(() => undefined);
        });
        ws.on('close', () => {
          sockets.delete(connectionId);
          invokeWs('$disconnect', connectionId, authorizer).catch(() => undefined);
        });
        ws.on('error', () => ws.terminate());
      });
    })();
  }

  return {
    connections,
    upgrade,
    close() {
      for (const { socket } of sockets.values()) socket.terminate();
      wss.close();
    },
  };
}
