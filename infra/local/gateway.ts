import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WebConfig } from '../../shared/api';
import type { TokenVerifier } from '../../functions/adapters/cognito/token-verifier';
import { httpRouteList, wsAuthorizer, wsRouteList, type HttpRoute } from '../../functions/routes';

/** API Gateway's own limits. */
const MAX_REST_BODY_BYTES = 10 * 1024 * 1024;
const MAX_WS_FRAME_BYTES = 128 * 1024;

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

const handlersDir = resolve(import.meta.dirname, '../../functions/handlers');
const handlerCache = new Map<string, Promise<AnyHandler>>();

/** The same handler modules the CDK bundles into Lambdas, loaded once each. */
export function loadHandler(name: string): Promise<AnyHandler> {
  let loaded = handlerCache.get(name);
  if (!loaded) {
    loaded = import(pathToFileURL(join(handlersDir, `${name}.ts`)).href).then((m) => m.handler as AnyHandler);
    handlerCache.set(name, loaded);
  }
  return loaded;
}

function lambdaContext(name: string): Context {
  const requestId = randomUUID();
  return {
    awsRequestId: requestId,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

interface CompiledRoute {
  route: HttpRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

function jsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(JSON.stringify({ error: { code, message } }));
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** API Gateway's Cognito authorizer passes every claim as a string; groups become "a,b". */
function claimsAsApiGatewayDoes(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    claims[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return claims;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface GatewayOptions {
  port: number;
  webRoot: string;
  webConfig: WebConfig;
  verifier: TokenVerifier;
  /** Origins the browser may talk to besides this one (cognito-local). */
  connectSources: string[];
}

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const compiled = httpRouteList.map(compile);
  const sockets = new Map<
    string,
    { socket: WebSocket; authorizer: Record<string, string>; connectedAt: number }
  >();
  const origin = `http://127.0.0.1:${options.port}`;
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${options.port} ${options.connectSources.join(' ')}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

  async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL) {
    const path = url.pathname.slice('/api'.length) || '/';
    const method = req.method ?? 'GET';
    const candidates = compiled.filter((c) => c.pattern.test(path));
    const match = candidates.find((c) => c.route.method === method);
    if (!match) {
      if (candidates.length)
        return jsonError(res, 405, 'method_not_allowed', `${method} is not allowed on ${path}`);
      return jsonError(res, 404, 'not_found', `No route ${method} ${path}`);
    }
    let claims: Record<string, string> | undefined;
    if (match.route.roles !== 'public') {
      const raw = req.headers.authorization?.replace(/^Bearer\s+/i, '');
      if (!raw) return jsonError(res, 401, 'unauthorized', 'Sign in to continue');
      try {
        claims = claimsAsApiGatewayDoes(await options.verifier.verify(raw));
      } catch {
        return jsonError(res, 401, 'unauthorized', 'Your session is invalid or has expired');
      }
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_REST_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge)
        return jsonError(res, 413, 'payload_too_large', 'The request body is too large');
      throw err;
    }
    const values = match.pattern.exec(path)!.slice(1);
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(match.names.map((n, i) => [n, decodeURIComponent(values[i]!)]));
    } catch {
      return jsonError(res, 400, 'bad_path', 'The address is not valid');
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    const query = Object.fromEntries(url.searchParams.entries());
    const requestId = randomUUID();
    const event: APIGatewayProxyEvent = {
      resource: match.route.path,
      path,
      httpMethod: method,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: null,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
      stageVariables: null,
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        stage: 'local',
        requestId,
        resourceId: match.route.id,
        resourcePath: match.route.path,
        httpMethod: method,
        path: `/local${path}`,
        protocol: 'HTTP/1.1',
        requestTimeEpoch: Date.now(),
        authorizer: claims ? { claims } : null,
        identity: {
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        } as APIGatewayProxyEvent['requestContext']['identity'],
      },
    };
    const handler = await loadHandler(match.route.handler);
    const result = (await handler(event, lambdaContext(match.route.handler))) as APIGatewayProxyResult;
    res.writeHead(result.statusCode, (result.headers ?? {}) as Record<string, string>);
    res.end(result.body);
  }

  function handleConnections(req: IncomingMessage, res: ServerResponse, url: URL) {
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
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL) {
    const headers = {
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self)',
    };
    if (url.pathname === '/config.json') {
      res.writeHead(200, { ...headers, 'content-type': MIME['.json']!, 'cache-control': 'no-store' });
      return res.end(JSON.stringify(options.webConfig));
    }
    const root = resolve(options.webRoot);
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return jsonError(res, 400, 'bad_path', 'The address is not valid');
    }
    let file = normalize(join(root, decoded));
    if (!file.startsWith(root + sep) && file !== root) return jsonError(res, 400, 'bad_path', 'Bad path');
    if (!existsSync(file) || statSync(file).isDirectory()) {
      // Client-side routes fall back to the app shell, like CloudFront's error response does.
      if (extname(url.pathname)) return jsonError(res, 404, 'not_found', 'No such file');
      file = join(root, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        return res.end('The web app is not built. Run `npm run build:web`.');
      }
    }
    const immutable = url.pathname.startsWith('/assets/');
    res.writeHead(200, {
      ...headers,
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
    if (req.method === 'HEAD') res.end();
  }

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
      const work =
        url.pathname === '/api' || url.pathname.startsWith('/api/')
          ? handleRest(req, res, url)
          : url.pathname.startsWith('/@connections/')
            ? handleConnections(req, res, url)
            : serveStatic(req, res, url);
      Promise.resolve(work).catch(fail);
    } catch {
      fail();
    }
  });
  server.on('clientError', (_err, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME_BYTES });

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

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req.url);
    if (!url) return refuse(400, 'Bad Request');
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
        )) as { context?: Record<string, string> };
        authorizer = result.context ?? {};
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
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolvePromise());
  });

  return {
    url: origin,
    close: async () => {
      for (const { socket } of sockets.values()) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
