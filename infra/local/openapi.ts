/**
 * Builds the OpenAPI 3.1 document of the REST API from the contract (`shared/contract.ts`, with the
 * server side in `functions/routes.ts`), plus the WebSocket protocol under `x-websocket`. Never edit
 * docs/openapi.json by hand: `npm run docs:api` writes it and a unit test keeps it current; the local
 * platform serves the same document at `/api/docs/openapi.json`.
 *
 * Request bodies, query strings and WebSocket frames are JSON Schemas converted from the valibot
 * schemas the server validates with. Responses are TypeScript types only (`returns<T>()`): the
 * document describes them as objects and names the type (`x-typescript-type`), read from the
 * contract's source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import ts from 'typescript';
import type * as v from 'valibot';
import { httpRouteList, wsAuthorizer, wsRouteList, type HttpRoute } from '../../functions/routes';
import { PATH_PARAMETER } from '../../functions/lib/http';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../../shared/appointments';
import { MAX_FRAME_BYTES, RATE_LIMIT } from '../../shared/live';
import { FHIR_MEDIA_TYPE } from '../../shared/fhir';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/policy';

const root = resolve(import.meta.dirname, '../..');
export const OPENAPI_PATH = resolve(root, 'docs/openapi.json');

type Json = Record<string, unknown>;

/**
 * Valibot actions JSON Schema cannot express: normalisation (trim, lower-case, phone numbers to
 * E.164) and rules across fields (`check`). The server applies them; anything else the converter
 * cannot express fails here.
 */
const SERVER_ONLY_ACTIONS = ['trim', 'to_lower_case', 'check', 'partial_check', 'raw_transform'];
const SERVER_ONLY_NOTE =
  'Strings are trimmed (emails lower-cased) and rules across fields are checked by the server; those rules are not expressed in this schema.';

export function jsonSchemaOf(schema: v.GenericSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, {
    target: 'draft-2020-12',
    typeMode: 'input',
    errorMode: 'throw',
    ignoreActions: SERVER_ONLY_ACTIONS,
    // A string with several patterns (the password rules): each further one joins an `allOf`.
    overrideAction: ({ valibotAction, jsonSchema, errors }) => {
      if (!errors || valibotAction.type !== 'regex') return undefined;
      const pattern = (valibotAction as v.RegexAction<string, undefined>).requirement.source;
      return { ...jsonSchema, allOf: [...(jsonSchema.allOf ?? []), { pattern }] };
    },
  });
  return rest;
}

/** The type argument of each route's `returns<T>()` in shared/contract.ts, by route id. */
function responseTypeNames(): Map<string, string> {
  const file = resolve(root, 'shared/contract.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Map<string, string>();
  const visit = (node: ts.Node, routeId: string | undefined) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
      const init = node.initializer;
      if (ts.isCallExpression(init) && init.expression.getText(source) === 'route') routeId = node.name.text;
      else if (
        routeId &&
        node.name.text === 'response' &&
        ts.isCallExpression(init) &&
        init.typeArguments?.length === 1
      ) {
        names.set(routeId, init.typeArguments[0]!.getText(source).replace(/\s+/g, ' '));
      }
    }
    ts.forEachChild(node, (child) => visit(child, routeId));
  };
  visit(source, undefined);
  return names;
}

/** Each member of the `ServerFrame` union of shared/live.ts: its `type` and its TypeScript text. */
function serverFrameTypes(): { type: string; typescript: string }[] {
  const file = resolve(root, 'shared/live.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'ServerFrame',
  );
  if (!alias || !ts.isUnionTypeNode(alias.type)) throw new Error('shared/live.ts has no ServerFrame union');
  return alias.type.types.map((member) => {
    const typeProperty = ts.isTypeLiteralNode(member)
      ? member.members.find((m) => m.name?.getText(source) === 'type')
      : undefined;
    const literal =
      typeProperty && ts.isPropertySignature(typeProperty) ? typeProperty.type?.getText(source) : undefined;
    if (!literal) throw new Error(`A ServerFrame member has no literal type: ${member.getText(source)}`);
    return {
      type: JSON.parse(literal.replace(/^'|'$/g, '"')) as string,
      typescript: member.getText(source).replace(/\s+/g, ' '),
    };
  });
}

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** The error answers a route can give, from what the contract says about it. */
function errorResponses(route: HttpRoute): Json {
  const hasParams = route.path.includes('{');
  const responses: Json = {};
  if (route.body || route.query || hasParams || route.idempotencyKey) responses['400'] = ref('BadRequest');
  if (route.roles !== 'public') {
    responses['401'] = ref('Unauthorized');
    responses['403'] = ref('Forbidden');
  }
  if (hasParams) responses['404'] = ref('NotFound');
  if (route.method !== 'GET') responses['409'] = ref('Conflict');
  if (route.body) {
    responses['413'] = ref('PayloadTooLarge');
    responses['415'] = ref('UnsupportedMediaType');
  }
  if (route.idempotencyKey) responses['422'] = ref('IdempotencyKeyReused');
  responses['429'] = ref('TooManyRequests');
  responses['5XX'] = ref('ServerError');
  if (route.produces !== FHIR_MEDIA_TYPE) return responses;
  // The FHIR routes' own errors are OperationOutcomes; a 401 comes from the gateway, before them.
  return Object.fromEntries(
    Object.entries(responses).map(([status, r]) => [status, status === '401' ? r : ref('FhirError')]),
  );
}

function parameters(route: HttpRoute): Json[] {
  const params: Json[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: PATH_PARAMETER.source },
  }));
  if (route.query) {
    const query = jsonSchemaOf(route.query);
    const required = new Set(query.required ?? []);
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  if (route.idempotencyKey) {
    params.push({
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: false,
      description:
        'A retry with the same key (within 24 hours) returns the first answer; the key reused with another body is a 422.',
      schema: jsonSchemaOf(IdempotencyKey),
    });
  }
  return params;
}

/** The first segment of the path: the page and the document group routes by it. */
export const tagOf = (path: string) => path.split('/')[1] || 'root';

function operation(route: HttpRoute, responseType: string | undefined): Json {
  const roles = route.roles === 'public' ? 'public (no authentication)' : route.roles.join(', ');
  const notes = [
    route.summary + '.',
    `Roles: ${roles}.`,
    route.localOnly ? 'Local platform only: never deployed to AWS.' : undefined,
  ];
  const op: Json = {
    operationId: route.id,
    summary: route.summary,
    description: notes.filter(Boolean).join(' '),
    tags: [tagOf(route.path)],
    'x-roles': route.roles === 'public' ? [] : [...route.roles],
    security: route.roles === 'public' ? [] : [{ cognitoIdToken: [] }],
  };
  if (route.localOnly) op['x-local-only'] = true;
  const params = parameters(route);
  if (params.length) op.parameters = params;
  if (route.body) {
    op.requestBody = {
      required: true,
      description: SERVER_ONLY_NOTE,
      content: {
        [route.consumes === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: {
          schema: jsonSchemaOf(route.body),
        },
      },
    };
  }
  op.responses = {
    [String(route.status ?? 200)]: route.produces
      ? {
          description:
            route.produces === 'text/csv'
              ? `Success: a \`${route.produces}\` attachment.`
              : `Success: a \`${route.produces}\` document.`,
          content: {
            [route.produces]: {
              schema:
                route.produces === FHIR_MEDIA_TYPE
                  ? {
                      type: 'object',
                      description: 'A FHIR R4 resource (http://hl7.org/fhir/R4/).',
                      required: ['resourceType'],
                    }
                  : { type: 'string' },
            },
          },
        }
      : {
          description: responseType
            ? `Success: \`${responseType}\` (a TypeScript type of the contract, not described as a schema here).`
            : 'Success.',
          content: {
            'application/json': {
              schema: { type: 'object', ...(responseType ? { 'x-typescript-type': responseType } : {}) },
            },
          },
        },
    ...errorResponses(route),
  };
  return op;
}

const errorResponse = (description: string, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function components(): Json {
  return {
    securitySchemes: {
      cognitoIdToken: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'The Cognito ID token (a JWT) as the Authorization header, as is (the local gateway also accepts a `Bearer ` prefix). On AWS the API Gateway Cognito authorizer checks it; the handler then checks the role (groups claim) and that the session has not been ended.',
      },
    },
    schemas: {
      Error: {
        type: 'object',
        description: 'Every error answer, from the handlers and from the gateway alike.',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                type: 'string',
                description: 'Stable, machine-readable: `validation_failed`, `forbidden`, ...',
              },
              message: { type: 'string', description: 'For people; never contains personal data.' },
              fields: {
                type: 'object',
                description: 'For 400 `validation_failed`: field name → what is wrong with it.',
                additionalProperties: { type: 'string' },
              },
              requestId: { type: 'string', description: 'On 500 only: quote it when reporting a problem.' },
            },
          },
        },
      },
    },
    responses: {
      BadRequest: errorResponse(
        'Invalid JSON (`invalid_json`), invalid fields or query parameters (`validation_failed`, with `fields`), or an invalid id in the path (`invalid_path`).',
      ),
      Unauthorized: errorResponse(
        'No token, an invalid or expired token, or a session ended by sign-out everywhere.',
      ),
      Forbidden: errorResponse(
        "The caller's role may not call this route (`forbidden`), or may not see this record.",
      ),
      NotFound: errorResponse('No such record (or not one the caller may know of).'),
      Conflict: errorResponse(
        'The request conflicts with the current state; the `code` says how. Not every state-changing route raises it.',
      ),
      PayloadTooLarge: errorResponse(`The body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`),
      UnsupportedMediaType: errorResponse('The body is not sent as `application/json`.'),
      IdempotencyKeyReused: errorResponse('The `Idempotency-Key` was used before with another body.'),
      TooManyRequests: errorResponse("A rate limit (`rate_limited`) or the API's throttling.", {
        'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
      }),
      FhirError: {
        description:
          'On the `/fhir` routes every error the function answers (400, 403, 404, 429, 500) is a FHIR R4 `OperationOutcome`: `issue[0].code` is FHIR’s issue type (`invalid`, `forbidden`, `not-found`, ...), `issue[0].details.coding[0].code` our error code.',
        content: {
          [FHIR_MEDIA_TYPE]: {
            schema: {
              type: 'object',
              required: ['resourceType', 'issue'],
              'x-typescript-type': 'OperationOutcome',
            },
          },
        },
      },
      ServerError: errorResponse(
        'An unexpected failure: 500 with a `requestId` and nothing else about the cause. (`GET /health` answers 503 with its own report instead.)',
      ),
    },
  };
}

function webSocket(): Json {
  return {
    description:
      'The WebSocket API: connect to `<wsUrl>?token=<ID token>` (from /config.json). Client frames are JSON objects with an `action`; a frame with an unknown or missing action, or that fails its schema, is answered with an `error` frame and the connection stays open.',
    url: '{wsUrl}?token={idToken}',
    authorizer: wsAuthorizer.handler,
    maxFrameBytes: MAX_FRAME_BYTES,
    rateLimit: { frames: RATE_LIMIT.frames, windowSeconds: RATE_LIMIT.windowSeconds, notCounted: ['ping'] },
    routes: wsRouteList.map((route) => ({
      id: route.id,
      route: route.route,
      roles: [...route.roles],
      summary: route.summary,
      ...(route.routeResponse ? { answeredBy: 'route response' } : {}),
      ...(route.frame ? { frame: jsonSchemaOf(route.frame) } : {}),
    })),
    serverFrames: {
      description:
        'Frames the server sends, by `type`. They are TypeScript types (`ServerFrame` in shared/live.ts), not schemas: each is given as its TypeScript text.',
      frames: serverFrameTypes(),
    },
  };
}

export function openApiDocument(): Json {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };
  const types = responseTypeNames();
  const paths: Record<string, Json> = {};
  for (const route of httpRouteList) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, types.get(route.id));
  }
  const tags = [...new Set(httpRouteList.map((r) => tagOf(r.path)))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Telehealth API',
      version: pkg.version,
      description: [
        'Generated from the routes contract (`shared/contract.ts` and `functions/routes.ts`) by `npm run docs:api`; do not edit by hand.',
        'Request bodies, query strings and WebSocket frames are converted from the valibot schemas the server validates with.',
        'Responses are TypeScript types in the contract, so success bodies are described only as objects, with the type named in `x-typescript-type`.',
        'Roles are in each operation\'s description and `x-roles` (empty for public routes). Errors share one shape, `{"error":{"code","message","fields"?}}`.',
      ].join(' '),
    },
    servers: [
      {
        url: '{apiUrl}',
        description: 'The `apiUrl` of /config.json',
        variables: { apiUrl: { default: 'http://127.0.0.1:3000/api', description: 'The local platform' } },
      },
    ],
    tags,
    paths,
    components: components(),
    'x-websocket': webSocket(),
  };
}

/** The file's exact text: what `npm run docs:api` writes and the unit test compares. */
export const renderOpenApi = () => JSON.stringify(openApiDocument(), null, 2) + '\n';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_PATH, renderOpenApi());
}
