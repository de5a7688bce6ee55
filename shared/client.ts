/**
 * One typed client for the REST API, built from the contract: the web app, the integration tests
 * and the end-to-end helpers call routes by id, e.g.
 * `client.call('cancelAppointment', { appointmentId }, { reason })`. Path parameters, body and
 * query are typed from the route; the answer is the route's response type.
 */
import type { ApiErrorBody } from './api';
import { CORRELATION_ID_HEADER } from './policy';
import { errorOf } from './fhir';
import {
  api,
  type Api,
  type BodyInput,
  type PathParams,
  type QueryInput,
  type ResponseOf,
  type RouteId,
} from './contract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type PathOf<R> = R extends { path: infer P extends string } ? P : string;
type ParamsArg<R> = keyof PathParams<PathOf<R>> extends never ? [] : [params: PathParams<PathOf<R>>];
type BodyArg<R> = BodyInput<R> extends undefined ? [] : [body: BodyInput<R>];
export interface CallOptions<R> {
  query?: QueryInput<R> extends undefined ? never : Partial<Record<keyof QueryInput<R>, string | number>>;
  headers?: Record<string, string>;
  /** Lets the request outlive the page (sent as the tab closes); unlike a beacon it keeps `Authorization`. */
  keepalive?: boolean;
}
/** `(params?, body?, options?)`: params only for routes with path parameters, body only with a body schema. */
export type CallArgs<R> = [...ParamsArg<R>, ...BodyArg<R>, options?: CallOptions<R>];

/** A request sent as it is, for tests of hostile or malformed input (nothing is type-checked). */
export interface RawRequest {
  params?: Record<string, string>;
  body?: unknown;
  /** Sent as the body verbatim (takes precedence over `body`). */
  rawBody?: string;
  contentType?: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** Overrides the client's token for this request ('' sends none). */
  token?: string;
  keepalive?: boolean;
}

export interface RawResponse {
  status: number;
  /** The parsed JSON answer (undefined when empty or not JSON). */
  json: any;
  /** The answer as sent (for routes that produce CSV). */
  text: string;
  headers: Headers;
}

export interface ClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:3000/api`. */
  baseUrl: string | (() => Promise<string>);
  /** The ID token to send as `Authorization`, if any. */
  token?: () => Promise<string | undefined> | string | undefined;
  /** A fresh `X-Correlation-Id` for each request (the web app's); none is sent without it. */
  correlationId?: () => string;
  fetch?: typeof fetch;
}

/** `/appointments/{appointmentId}/cancel` + `{ appointmentId: 'a 1' }` → `/appointments/a%201/cancel`. */
export function pathFor(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

function queryString(query: Record<string, string | number | undefined> | undefined): string {
  const entries = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
}

export function createApiClient(options: ClientOptions) {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = async () =>
    typeof options.baseUrl === 'string' ? options.baseUrl : await options.baseUrl();

  async function send(id: RouteId, request: RawRequest): Promise<RawResponse> {
    const route = api[id];
    const headers: Record<string, string> = { ...request.headers };
    const token = request.token ?? (await options.token?.());
    if (token) headers.authorization = token;
    if (options.correlationId && !(CORRELATION_ID_HEADER in headers)) {
      headers[CORRELATION_ID_HEADER] = options.correlationId();
    }
    const body =
      route.method === 'GET'
        ? undefined
        : (request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body)));
    if (body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    const url = `${await baseUrl()}${pathFor(route.path, request.params)}${queryString(request.query)}`;
    const response = await doFetch(url, {
      method: route.method,
      headers,
      body,
      ...(request.keepalive ? { keepalive: true } : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  return {
    /** Calls a route; resolves with its typed answer, rejects with ApiError (status 0: no network). */
    async call<K extends RouteId>(id: K, ...args: CallArgs<Api[K]>): Promise<ResponseOf<Api[K]>> {
      const route = api[id];
      const rest = [...args] as unknown[];
      const params = /\{\w+\}/.test(route.path) ? (rest.shift() as Record<string, string>) : undefined;
      const body = route.body ? rest.shift() : undefined;
      const callOptions = rest.shift() as
        | { query?: Record<string, string | number>; headers?: Record<string, string>; keepalive?: boolean }
        | undefined;
      let answer: RawResponse;
      try {
        answer = await send(id, {
          params,
          body,
          query: callOptions?.query,
          headers: callOptions?.headers,
          keepalive: callOptions?.keepalive,
        });
      } catch {
        throw new ApiError(
          0,
          'network',
          'We could not reach the server. Check your connection and try again.',
        );
      }
      if (answer.status >= 400) {
        const error = errorOf(answer.json) as ApiErrorBody['error'] | undefined;
        throw new ApiError(
          answer.status,
          error?.code ?? 'unknown',
          error?.message ?? `The request failed (${answer.status})`,
          error?.fields,
        );
      }
      return answer.json as ResponseOf<Api[K]>;
    },
    /** Sends a request as given and answers with status, JSON and headers, whatever the status. */
    send,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
