/**
 * The WebSocket API as API Gateway runs it: the $connect authorizer, $connect/$disconnect and
 * action routes invoking their handlers, a two-way route's response sent back on the socket, and
 * the `@connections` management endpoint (over HTTP, and in process through LocalConnections).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayAuthorizerResult, APIGatewayProxyResult } from 'aws-lambda';
import { WebSocketServer } from 'ws';
import { wsAuthorizer, wsRouteList } from '../../../functions/routes';
import { localConnections, MAX_WS_FRAME_BYTES, type LocalConnections } from './connections';
import { jsonError, readBody, type Route } from './http-io';
import { lambdaContext, type HandlerLoader } from './lambda';

export interface WebSocketApi {
  /** Serves `/@connections/<id>`: POST sends a frame, GET describes, DELETE closes. */
  connections: Route;
  /** Takes over an HTTP upgrade to `/ws`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  close(): void;
}

export function webSocketApi(options: {
  port: number;
  loadHandler: HandlerLoader;
  /** Shared with the handlers' compositions when the platform relays in process. */
  connections?: LocalConnections;
}): WebSocketApi {
  const { loadHandler } = options;
  const sockets = options.connections ?? localConnections();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME_BYTES });

  const connections: Route = async (req, res, url) => {
    let connectionId: string;
    try {
      connectionId = decodeURIComponent(url.pathname.slice('/@connections/'.length));
    } catch {
      return jsonError(res, 400, 'bad_path', 'The address is not valid');
    }
    const gone = () => {
      res.writeHead(410, { 'x-amzn-errortype': 'GoneException', 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Gone' }));
    };
    const entry = sockets.get(connectionId);
    if (!entry) return gone();
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ConnectedAt: new Date(entry.connectedAt).toISOString() }));
    }
    let data: Buffer | undefined;
    if (req.method !== 'DELETE') {
      data = await readBody(req, MAX_WS_FRAME_BYTES).catch(() => undefined);
      if (!data) return jsonError(res, 413, 'payload_too_large', 'Frame too large');
    }
    try {
      if (data) await sockets.api.post(connectionId, data.toString('utf8'));
      else await sockets.api.delete(connectionId);
    } catch {
      return gone();
    }
    res.writeHead(data ? 200 : 204);
    res.end();
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
    const result = (await handler(
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
    // As API Gateway: only a route with a route response sends the integration's body back.
    if (route.routeResponse && result?.body) sockets.get(connectionId)?.socket.send(result.body);
    return result;
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
        sockets.add(connectionId, { socket: ws, authorizer, connectedAt: Date.now() });
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
          sockets.remove(connectionId);
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
      for (const { socket } of sockets.all()) socket.terminate();
      wss.close();
    },
  };
}
