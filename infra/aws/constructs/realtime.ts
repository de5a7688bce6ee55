import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  LogGroupLogDestination,
  WebSocketApi,
  WebSocketStage,
  type WebSocketRouteOptions,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { wsAuthorizer, wsRouteList } from '../../../functions/routes';
import type { Data } from './data';
import { ProjectFunction } from './project-function';

export interface RealtimeProps {
  readonly data: Data;
  /** Environment every WebSocket function (and the authorizer) gets. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 'v1' */
  readonly stageName?: string;
  /** Messages per second across the stage. @default 100 */
  readonly throttlingRateLimit?: number;
  /** @default 200 */
  readonly throttlingBurstLimit?: number;
}

const SPECIAL_ROUTES = new Set(['$connect', '$disconnect', '$default']);

/**
 * The WebSocket API: a Lambda authorizer on $connect (the ID token arrives in the `token` query
 * parameter because browsers cannot set headers on a WebSocket) and one function per entry of
 * wsRouteList, each allowed to answer through the stage's @connections endpoint; a route flagged
 * `routeResponse` is two-way, answered by its function's return value without that call. Connection records
 * expire through the table's TTL attribute (Data), so a lost $disconnect leaves nothing behind.
 */
export class Realtime extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  /** Route id → its function. */
  readonly functions: Readonly<Record<string, ProjectFunction>>;
  readonly authorizerFunction: ProjectFunction;
  /** `wss://…/<stage>`: what the browser connects to. */
  readonly url: string;
  /** `wss://<api id>.execute-api.<region>.<suffix>`: what a Content-Security-Policy allows. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: RealtimeProps) {
    super(scope, id);

    // Verifies the token and reads the user's valid-after (sign out everywhere); never writes.
    this.authorizerFunction = new ProjectFunction(this, `Fn-${wsAuthorizer.id}`, {
      handler: wsAuthorizer.handler,
      description: 'WebSocket $connect authorizer (Cognito ID token in ?token=)',
      environment: props.environment,
    });
    props.data.grant(this.authorizerFunction, 'read');
    const authorizer = new WebSocketLambdaAuthorizer('Authorizer', this.authorizerFunction, {
      identitySource: ['route.request.querystring.token'],
    });

    const functions: Record<string, ProjectFunction> = {};
    const options: Record<string, WebSocketRouteOptions> = {};
    for (const route of wsRouteList) {
      const fn = new ProjectFunction(this, `Fn-${route.id}`, {
        handler: route.handler,
        description: `WebSocket ${route.route}: ${route.summary}`.slice(0, 256),
        environment: props.environment,
      });
      props.data.grant(fn, route.access);
      functions[route.id] = fn;
      options[route.route] = {
        integration: new WebSocketLambdaIntegration(`Integration-${route.id}`, fn),
        ...(route.route === '$connect' ? { authorizer } : {}),
        // A two-way route: the function's response body goes back to the caller (`ping`'s pong).
        ...(route.routeResponse ? { returnResponse: true } : {}),
      };
    }
    this.functions = functions;
    if (!options.$connect) throw new Error('wsRouteList needs a $connect route to carry the authorizer');

    this.api = new WebSocketApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName.toLowerCase()}-ws`,
      description: 'Telehealth realtime API (wsRouteList of functions/routes.ts)',
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: options.$connect,
      ...(options.$disconnect ? { disconnectRouteOptions: options.$disconnect } : {}),
      ...(options.$default ? { defaultRouteOptions: options.$default } : {}),
    });
    for (const route of wsRouteList) {
      const routeOptions = options[route.route];
      if (!SPECIAL_ROUTES.has(route.route) && routeOptions) this.api.addRoute(route.route, routeOptions);
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName ?? 'v1',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttlingRateLimit ?? 100,
        burstLimit: props.throttlingBurstLimit ?? 200,
      },
      // The default WebSocket format: ids, route, status, timings; never message bodies.
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });

    for (const fn of Object.values(functions)) this.bindPostToConnections(fn);

    this.url = this.stage.url;
    this.origin = this.api.apiEndpoint;
  }

  /**
   * Lets `fn` send frames to (and close) connections of this stage: the `https://` callback URL as
   * WS_MANAGEMENT_ENDPOINT and `execute-api:ManageConnections` on the stage's @connections only, a
   * little tighter than the API-wide grantManageConnections. Every WebSocket function has it; REST
   * functions whose routes declare `realtime` get it from the stack.
   */
  bindPostToConnections(fn: LambdaFunction): void {
    fn.addEnvironment('WS_MANAGEMENT_ENDPOINT', this.stage.callbackUrl);
    this.stage.grantManagementApiAccess(fn);
  }
}
