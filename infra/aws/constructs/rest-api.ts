import { Duration, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { httpRouteList, type HttpRoute } from '../../../functions/routes';
import { CORS_ALLOWED_HEADERS, SECURITY_HEADERS } from '../../../shared/policy';
import type { Auth } from './auth';
import { bindCapabilities, type Capabilities } from './capabilities';
import type { Data } from './data';
import { ProjectFunction } from './project-function';

/** What AWS serves: every route of the table except the local platform's development pages. */
export const deployedHttpRoutes: readonly HttpRoute[] = httpRouteList.filter((route) => !route.localOnly);

/**
 * The nested stacks of the routes, each with the first path segments whose routes it holds
 * (docs/adr/0013-rest-routes-in-a-nested-stack.md, _Amended_). A path's resources are made under its
 * first segment's resource, so all routes of a segment share a stack. The table is explicit so that a
 * new route never moves others: moving a path to another stack on a deployed API fails the deploy
 * (CloudFormation creates the new resource before it deletes the old, and API Gateway refuses a second
 * one at the same path). A route whose first segment is not here fails synthesis; add the segment to
 * the stack with room (`Size` in telehealth-stack.test.ts), or start a new stack for it.
 */
export const ROUTE_STACKS = {
  /** Appointments and the visit: booking, the waiting room, calls, rescues, passes. */
  Routes: ['appointments', 'visit', 'visit-rescues', 'visit-rates', 'waiting-room', 'passes'],
  /** Accounts, records and administration: registration, profiles, doctors, patients, FHIR, admin, webhooks. */
  AccountRoutes: [
    'health',
    'register',
    'me',
    'doctors',
    'availability',
    'patients',
    'fhir',
    'admin',
    'webhooks',
  ],
} as const satisfies Record<string, readonly string[]>;

/** The id of a nested stack of routes. */
export type RouteStackId = keyof typeof ROUTE_STACKS;

/** The first segment of a route's path: `/appointments/{id}` → `appointments`. */
export function firstSegment(path: string): string {
  return path.split('/').find(Boolean) ?? '';
}

/** The nested stack that holds a route's function, resources and method, from {@link ROUTE_STACKS}. */
export function routeStackOf(route: Pick<HttpRoute, 'id' | 'path'>): RouteStackId {
  const segment = firstSegment(route.path);
  const ids = (Object.keys(ROUTE_STACKS) as RouteStackId[]).filter((id) =>
    (ROUTE_STACKS[id] as readonly string[]).includes(segment),
  );
  if (ids.length !== 1) {
    throw new Error(
      `Route ${route.id} (${route.path}): its first segment "${segment}" must be in exactly one nested stack of ROUTE_STACKS (infra/aws/constructs/rest-api.ts), is in ${ids.length}`,
    );
  }
  return ids[0]!;
}

export interface RestApiProps {
  readonly auth: Auth;
  readonly data: Data;
  /** Browser origins allowed by CORS (the CloudFront `https://` origin); the first answers gateway errors. */
  readonly allowedOrigins: readonly string[];
  /** Environment every route's function gets. */
  readonly environment: Readonly<Record<string, string>>;
  /** What a route's function gets for each capability in its `uses` (grants, environment). */
  readonly capabilities: Capabilities;
  /** @default 'v1' */
  readonly stageName?: string;
  /** Steady-state requests per second across the stage. @default 100 */
  readonly throttlingRateLimit?: number;
  /** @default 200 */
  readonly throttlingBurstLimit?: number;
  /**
   * Tighter limits for single routes, by route id (functions/routes.ts). Like the stage limits they
   * hold for all callers together, not per client: per-client limits are WAF's and the handlers'.
   */
  readonly routeThrottling?: Readonly<Record<string, RouteThrottle>>;
}

const STAGE_METHOD_SETTINGS = {
  metricsEnabled: true,
  loggingLevel: apigateway.MethodLoggingLevel.ERROR,
  // Never log request or response bodies: they carry PHI.
  dataTraceEnabled: false,
} as const;

/** Steady requests per second and burst of one route, across all callers. */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * The stage's method settings for `routeThrottling`, keyed `/<path>/<METHOD>` as API Gateway wants.
 * A method's settings replace the stage's for that method, so logging and metrics are repeated.
 */
function methodThrottling(
  throttling: Readonly<Record<string, RouteThrottle>>,
): Record<string, apigateway.MethodDeploymentOptions> {
  return Object.fromEntries(
    Object.entries(throttling).map(([routeId, limits]) => {
      const route = deployedHttpRoutes.find((r) => r.id === routeId);
      if (!route) throw new Error(`routeThrottling: ${routeId} is not a deployed route`);
      return [
        `${route.path}/${route.method}`,
        {
          throttlingRateLimit: limits.rateLimit,
          throttlingBurstLimit: limits.burstLimit,
          ...STAGE_METHOD_SETTINGS,
        },
      ];
    }),
  );
}

/** What API Gateway's throttling answers, with 429; the web ACL's rate rules answer the same. */
export const THROTTLED = { code: 'too_many_requests', message: 'Too many requests; try again in a moment' };

/** The project's error body, `{"error":{"code","message"}}`, for errors API Gateway answers itself. */
function errorTemplate(code: string, message: string, withRequestId = false): string {
  const requestId = withRequestId ? ',"requestId":"$context.requestId"' : '';
  return `{"error":{"code":"${code}","message":${message}${requestId}}}`;
}

/**
 * The REST API: one Lambda and one resource/method per deployed entry of the routes table, the Cognito
 * authorizer on every non-public route, and API Gateway's own errors in the project's error shape.
 * A route's function gets the table, Cognito admin rights when flagged, and exactly the capabilities
 * its `uses` declares — the constructs providing them must exist before this one.
 *
 * The API itself (with its stage, deployment, authorizer, gateway responses and access logs) lives in
 * the stack; every route's function, resources and methods live in one of the nested stacks
 * {@link routes}, by the route's first path segment ({@link ROUTE_STACKS}), so routes do not count
 * against the stack's 500 resources (docs/adr/0013-rest-routes-in-a-nested-stack.md). The nested stacks
 * take the API, the authorizer and what the functions use as parameters; the deployment waits for all
 * of them; nothing in them refers to the stage, which keeps CloudFormation free of cycles.
 */
export class RestApi extends Construct {
  readonly api: apigateway.RestApi;
  /**
   * The nested stacks of the routes, by id ({@link ROUTE_STACKS}): their functions (with roles,
   * policies, log groups), resources and methods.
   */
  readonly routes: Readonly<Record<RouteStackId, NestedStack>>;
  /** Route id → its function; local-only routes have none. */
  readonly functions: Readonly<Record<string, ProjectFunction>>;
  /** `https://…/<stage>` without a trailing slash: the web app appends paths starting with `/`. */
  readonly url: string;
  /** `https://<api id>.execute-api.<region>.<suffix>`: what a Content-Security-Policy allows. */
  readonly origin: string;
  /**
   * The same address as `url`, built from the API's id and the stage's *name*: `url` refers to the
   * stage resource, which depends on the deployment, its methods and so on every route's function,
   * so a function naming `url` in its environment would be a CloudFormation cycle. The id alone is
   * not. Twilio posts to (and signs) this address: PUBLIC_API_URL of the functions that text.
   */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const [primaryOrigin] = props.allowedOrigins;
    if (primaryOrigin === undefined) throw new Error('RestApi needs at least one allowed origin');
    const stageName = props.stageName ?? 'v1';

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Not `Api` as before the routes moved to the nested stack (ADR 0013): a new API, so that its
    // paths and methods, created there, do not collide with the old API's while CloudFormation
    // creates the new resources before deleting the old ones.
    this.api = new apigateway.RestApi(this, 'RestApi', {
      // From the stack name (`Telehealth-<stage>`), so stages sharing an account tell apart.
      restApiName: Stack.of(this).stackName.toLowerCase(),
      description: 'Telehealth REST API (one Lambda per route of functions/routes.ts)',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Access logs need the account-level CloudWatch role of API Gateway; it is kept on stack
      // deletion because other APIs in the account may rely on it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        ...STAGE_METHOD_SETTINGS,
        throttlingRateLimit: props.throttlingRateLimit ?? 100,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
        methodOptions: methodThrottling(props.routeThrottling ?? {}),
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: [...CORS_ALLOWED_HEADERS],
        maxAge: Duration.hours(1),
      },
    });

    const stack = Stack.of(this);
    this.origin = `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.publicUrl = `${this.origin}/${props.stageName ?? 'v1'}`;

    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.auth.userPool],
      identitySource: apigateway.IdentitySource.header('Authorization'),
    });

    this.addGatewayResponses(primaryOrigin);

    // Every route's stack is known before any is made: an unmapped segment fails here, whole.
    const stackOfRoute = new Map(deployedHttpRoutes.map((route) => [route, routeStackOf(route)]));
    this.routes = Object.fromEntries(
      (Object.keys(ROUTE_STACKS) as RouteStackId[]).map((stackId) => [
        stackId,
        new NestedStack(this, stackId, {
          description: `Telehealth REST API routes under /${ROUTE_STACKS[stackId].join(', /')}: one Lambda function, its resources and methods per route`,
        }),
      ]),
    ) as Record<RouteStackId, NestedStack>;
    const functions: Record<string, ProjectFunction> = {};
    for (const route of deployedHttpRoutes) {
      functions[route.id] = this.addRoute(
        route,
        this.routes[stackOfRoute.get(route)!],
        props,
        authorizer,
        stageName,
      );
    }
    this.functions = functions;
    this.url = `${this.origin}/${this.api.deploymentStage.stageName}`;
  }

  private addRoute(
    route: HttpRoute,
    routes: NestedStack,
    props: RestApiProps,
    authorizer: apigateway.CognitoUserPoolsAuthorizer,
    stageName: string,
  ): ProjectFunction {
    const uses = route.uses ?? [];
    const fn = new ProjectFunction(routes, `Fn-${route.id}`, {
      handler: route.handler,
      description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
      // Routes that text at once put Twilio's webhook address on each text; the webhook checks
      // signatures against it.
      environment:
        uses.includes('smsNow') || uses.includes('smsWebhook')
          ? { ...props.environment, PUBLIC_API_URL: this.publicUrl }
          : props.environment,
    });
    props.data.grant(fn, route.access);
    if (route.cognitoAdmin) props.auth.grantAdmin(fn);
    if (route.cognitoActions) props.auth.grantActions(fn, route.cognitoActions);
    bindCapabilities(fn, uses, props.capabilities);

    // What LambdaIntegration does, with the stage named rather than referenced: its permission would
    // refer to the stage, which the nested stack cannot (the stage's deployment waits for the nested
    // stack). No test-invoke permission: it doubles the Lambda resource policy for a console button.
    fn.addPermission(`Invoke-${route.method}`, {
      principal: new ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.api.arnForExecuteApi(route.method, route.path.replace(/\{[^}]*\}/g, '*'), stageName),
    });
    const isPublic = route.roles === 'public';
    this.resourceFor(route.path, routes).addMethod(
      route.method,
      new apigateway.AwsIntegration({
        proxy: true,
        service: 'lambda',
        path: `2015-03-31/functions/${fn.functionArn}/invocations`,
      }),
      isPublic
        ? { authorizationType: apigateway.AuthorizationType.NONE, operationName: route.id }
        : { authorizationType: apigateway.AuthorizationType.COGNITO, authorizer, operationName: route.id },
    );
    return fn;
  }

  /**
   * The resource of `path`, in the nested stack `routes` of its first segment: that segment is made
   * there under the API's root (which stays in the stack), and the rest below it. Each inherits the
   * API's CORS preflight.
   */
  private resourceFor(path: string, routes: NestedStack): apigateway.IResource {
    const [first, ...rest] = path.split('/').filter(Boolean);
    if (first === undefined) return this.api.root;
    const top =
      this.api.root.getResource(first) ??
      new apigateway.Resource(routes, `Path-${first}`, { parent: this.api.root, pathPart: first });
    return top.resourceForPath(rest.join('/'));
  }

  private addGatewayResponses(origin: string): void {
    // Without CORS headers the browser hides these errors from the web app entirely.
    // Mapping values are expressions: a literal is single-quoted, quotes inside it escaped.
    const responseHeaders: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(SECURITY_HEADERS).map(([name, value]) => [name, `'${value.replace(/'/g, "\\'")}'`]),
      ),
      'Access-Control-Allow-Origin': `'${origin}'`,
      Vary: "'Origin'",
    };
    const responses: {
      id: string;
      type: apigateway.ResponseType;
      statusCode?: string;
      template: string;
    }[] = [
      {
        id: 'Unauthorized',
        type: apigateway.ResponseType.UNAUTHORIZED,
        statusCode: '401',
        template: errorTemplate('unauthorized', '"Sign in to continue"'),
      },
      {
        id: 'AccessDenied',
        type: apigateway.ResponseType.ACCESS_DENIED,
        statusCode: '403',
        template: errorTemplate('forbidden', '"You are not allowed to do this"'),
      },
      {
        // What API Gateway answers for a path or method no route defines.
        id: 'NotFound',
        type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
        statusCode: '404',
        template: errorTemplate('not_found', '"Not found"'),
      },
      {
        id: 'Throttled',
        type: apigateway.ResponseType.THROTTLED,
        statusCode: '429',
        template: errorTemplate(THROTTLED.code, JSON.stringify(THROTTLED.message)),
      },
      {
        id: 'TooLarge',
        type: apigateway.ResponseType.REQUEST_TOO_LARGE,
        statusCode: '413',
        template: errorTemplate('payload_too_large', '"The request is too large"'),
      },
      {
        id: 'Default4xx',
        type: apigateway.ResponseType.DEFAULT_4XX,
        // $context.error.messageString is already a quoted JSON string.
        template: errorTemplate('bad_request', '$context.error.messageString'),
      },
      {
        id: 'Default5xx',
        type: apigateway.ResponseType.DEFAULT_5XX,
        template: errorTemplate('internal_error', '"Something went wrong on our side"', true),
      },
    ];
    for (const response of responses) {
      this.api.addGatewayResponse(response.id, {
        type: response.type,
        ...(response.statusCode ? { statusCode: response.statusCode } : {}),
        responseHeaders,
        templates: { 'application/json': response.template },
      });
    }
  }
}
