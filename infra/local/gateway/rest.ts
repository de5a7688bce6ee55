/**
 * The REST API as API Gateway runs it: the route table's paths, the Cognito authorizer's check of
 * the ID token, and a Lambda proxy event for the route's handler.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { TokenVerifier } from '../../../functions/adapters/cognito/token-verifier';
import { httpRouteList, type HttpRoute } from '../../../functions/routes';
import { BodyTooLarge, jsonError, readBody, type Route } from './http-io';
import { lambdaContext, type HandlerLoader } from './lambda';

/** API Gateway's own limit. */
const MAX_REST_BODY_BYTES = 10 * 1024 * 1024;

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

/** API Gateway's Cognito authorizer passes every claim as a string; groups become "a,b". */
function claimsAsApiGatewayDoes(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    claims[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return claims;
}

/** Serves `/api/...`. */
export function restApi(options: { verifier: TokenVerifier; loadHandler: HandlerLoader }): Route {
  const compiled = httpRouteList.map(compile);

  return async function handleRest(req, res, url) {
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
    const handler = await options.loadHandler(match.route.handler);
    const result = (await handler(event, lambdaContext(match.route.handler))) as APIGatewayProxyResult;
    res.writeHead(result.statusCode, (result.headers ?? {}) as Record<string, string>);
    res.end(result.body);
  };
}
