import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cognitoTriggers,
  httpRouteList,
  jobs,
  wsAuthorizer,
  wsRouteList,
  type Capability,
} from '../../functions/routes';
import { TABLE } from '../../functions/adapters/dynamo/table';
import type { WebConfig } from '../../shared/api';
import { PASSWORD_POLICY, SECURITY_HEADERS } from '../../shared/policy';
import { ROLES } from '../../shared/roles';
import { ProjectFunction, REPO_ROOT } from './constructs/project-function';
import { firstSegment, routeStackOf } from './constructs/rest-api';
import { flatTemplate, logicalIdIn, nestedStacksOf, type Resource } from './flat-template';
import {
  API_RATE_RULES,
  ROUTE_THROTTLING,
  TelehealthStack,
  TWILIO_VIDEO_CONNECT_SOURCES,
} from './telehealth-stack';

type Statement = { Effect: string; Principal?: unknown; Action?: unknown; Condition?: unknown };

// One synthesis for the whole file. Bundling is skipped (placeholder Lambda assets): the real esbuild
// bundle is covered by project-function.test.ts.
const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-site-'));
fs.writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><title>t</title>');
// The feature flags of cdk.json too (e.g. minimized policies), so the tests see what `cdk synth` makes.
const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context?: Record<string, unknown>;
};
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const stack = new TelehealthStack(app, 'Telehealth', {
  env: { account: '111111111111', region: 'eu-central-1' },
  webDistDir: siteDir,
});
// The same app before `npm run build:web`: no web/dist; p2p calls without Twilio's TURN service;
// another practice (`-c practiceDir=`).
const OTHER_PRACTICE_DIR = path.join(REPO_ROOT, 'tests/fixtures/practice-harbour');
const unbuilt = new TelehealthStack(app, 'TelehealthUnbuilt', {
  webDistDir: path.join(siteDir, 'does-not-exist'),
  practiceDir: OTHER_PRACTICE_DIR,
  iceFromTwilio: false,
  stunServers: ['stun:stun.example.test:3478'],
});
// Video through Twilio rooms, recorded into the stack's recordings bucket.
const RECORDING_CREDENTIAL = `CR${'a'.repeat(32)}`;
const twilioStack = new TelehealthStack(app, 'TelehealthTwilio', {
  env: { account: '111111111111', region: 'eu-central-1' },
  webDistDir: siteDir,
  videoProvider: 'twilio',
  recording: { retention: Duration.days(30), awsCredentialsSid: RECORDING_CREDENTIAL },
});
const assembly = app.synth();
/** The stack's own template (outputs, and resources that stay in it). */
const template = Template.fromStack(stack);
/** The stack's and its nested stacks' resources, references between them resolved (flat-template.ts). */
const resources = flatTemplate(stack).Resources;
afterAll(() => {
  fs.rmSync(siteDir, { recursive: true, force: true });
  fs.rmSync(assembly.directory, { recursive: true, force: true });
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const props = (logicalId: string) => resources[logicalId]?.Properties ?? {};
/** The logical id of an L2 construct's CloudFormation resource, in its own stack (nested or not). */
const logicalIdOf = logicalIdIn;
const refersTo = (value: unknown, logicalId: string) => {
  const json = JSON.stringify(value);
  return json.includes(`{"Ref":"${logicalId}"}`) || json.includes(`{"Fn::GetAtt":["${logicalId}",`);
};
/** The alarms watching a function's `Errors` (grouped alarms use metric math over ten functions). */
const errorAlarmsOf = (functionId: string) =>
  ofType('AWS::CloudWatch::Alarm').filter(([, a]) =>
    (
      (a.Properties?.Metrics ?? []) as {
        MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } };
      }[]
    ).some(
      (m) =>
        m.MetricStat?.Metric.MetricName === 'Errors' && refersTo(m.MetricStat.Metric.Dimensions, functionId),
    ),
  );

describe('Size', () => {
  // CloudFormation takes at most 500 resources per template, nested ones included; at 500 a stack
  // cannot deploy (docs/adr/0013-rest-routes-in-a-nested-stack.md).
  const count = (s: Stack) => Object.keys(Template.fromStack(s).toJSON().Resources as object).length;

  const routeStacks = Object.entries(stack.restApi.routes);
  const byPath = (a: Stack, b: Stack) => a.node.path.localeCompare(b.node.path);

  it('keeps the REST routes in the nested stacks of ROUTE_STACKS, each route in exactly one, by its first segment', () => {
    expect(nestedStacksOf(stack).sort(byPath)).toEqual(Object.values(stack.restApi.routes).sort(byPath));
    expect(routeStacks.map(([id]) => id)).toContain('Routes'); // the logical id the routes were deployed with
    for (const route of deployedRoutes) {
      const fn = stack.restApi.functions[route.id]!;
      const holding = routeStacks.filter(([, nested]) => fn.stack === nested).map(([id]) => id);
      expect(holding, route.id).toEqual([routeStackOf(route)]);
    }
    // A first segment's resource (and so every path below it) is in the stack of its routes.
    for (const route of deployedRoutes) {
      const top = stack.restApi.api.root.getResource(firstSegment(route.path))!;
      expect(Stack.of(top), route.path).toBe(stack.restApi.routes[routeStackOf(route)]);
    }
  });

  it('refuses to synthesize a route whose first segment no nested stack holds', () => {
    expect(() => routeStackOf({ id: 'newThing', path: '/new-things/{id}' })).toThrow(
      /newThing .*"new-things" must be in exactly one nested stack of ROUTE_STACKS/,
    );
  });

  it('leaves the parent stack ample room (< 300): what grows here is infrastructure, not routes', () => {
    expect(count(stack)).toBeLessThan(300);
  });

  it.each(routeStacks)(
    'leaves the routes’ nested stack %s room for more routes (< 400): about 8 resources per route',
    (_id, nested) => {
      // Each route brings a function, its role, policy, log group and invoke permission, its method and
      // often a resource with its CORS preflight.
      expect(count(nested)).toBeLessThan(400);
    },
  );
});

/** The full path of an API Gateway resource, from its PathPart chain up to the root. */
function resourcePath(logicalId: string): string {
  const parts: string[] = [];
  let current: string | undefined = logicalId;
  while (current) {
    const p = props(current);
    parts.unshift(String(p.PathPart));
    const parent = p.ParentId as { Ref?: string } | undefined;
    current = parent?.Ref;
  }
  return `/${parts.join('/')}`;
}

/** Policy statements attached to a function's execution role. */
function roleStatements(fn: ProjectFunction): Statement[] {
  const roleId = logicalIdOf(fn.role!);
  return ofType('AWS::IAM::Policy')
    .filter(([, r]) => JSON.stringify(r.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap(([, r]) => (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat().map(String));
type EnvValue = Record<string, unknown> | string;
const envOf = (logicalId: string) =>
  (props(logicalId).Environment as { Variables: Record<string, EnvValue> }).Variables;

/**
 * The web app's Content-Security-Policy as directive → sources, with CloudFormation references
 * written `{LogicalId}` or `{LogicalId.Attribute}`.
 */
function cspOf(s: Stack): Record<string, string[]> {
  const policies = Object.values(Template.fromStack(s).toJSON().Resources as Record<string, Resource>).filter(
    (r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy',
  );
  expect(policies).toHaveLength(1);
  const config = policies[0]!.Properties!.ResponseHeadersPolicyConfig as Record<string, any>;
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const v = value as Record<string, any>;
    if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0] as string);
    if (v.Ref) return `{${String(v.Ref)}}`;
    if (v['Fn::GetAtt']) return `{${(v['Fn::GetAtt'] as string[]).join('.')}}`;
    throw new Error(`Unexpected CSP part ${JSON.stringify(value)}`);
  };
  const text = flatten(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  return Object.fromEntries(
    text.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

// What AWS must serve and what it must not, derived here rather than taken from the stack.
const deployedRoutes = httpRouteList.filter((route) => !route.localOnly);
const localOnlyRoutes = httpRouteList.filter((route) => route.localOnly);

/** A deployed function with the capabilities its table entry declares. */
interface Deployed {
  readonly name: string;
  readonly fn: ProjectFunction;
  readonly uses: readonly Capability[];
}
/** Every project function of `s`, expected capabilities taken from functions/routes.ts. */
function deployedFunctions(s: TelehealthStack): Deployed[] {
  return [
    ...deployedRoutes.map((route) => ({
      name: route.id,
      fn: s.restApi.functions[route.id]!,
      uses: route.uses ?? [],
    })),
    // Posting to connections is what a WebSocket function is for: `realtime` goes without saying.
    ...wsRouteList.map((route) => ({
      name: route.id,
      fn: s.realtime.functions[route.id]!,
      uses: ['realtime'] as const,
    })),
    { name: wsAuthorizer.id, fn: s.realtime.authorizerFunction, uses: [] },
    { name: jobs.sendReminder.id, fn: s.notifications.reminderFunction, uses: jobs.sendReminder.uses },
    { name: jobs.sendText.id, fn: s.notifications.textFunction, uses: jobs.sendText.uses },
  ];
}

/** One stack's template, read per function: environment, timeout and role policy statements. */
function viewOf(s: Stack) {
  const all = flatTemplate(s).Resources;
  const idOf = logicalIdIn;
  const statements = (fn: ProjectFunction): Statement[] => {
    const roleId = idOf(fn.role!);
    return Object.values(all)
      .filter(
        (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(`"${roleId}"`),
      )
      .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const fnProps = (fn: ProjectFunction) => all[idOf(fn)]?.Properties ?? {};
  return {
    all,
    idOf,
    statements,
    env: (fn: ProjectFunction) =>
      (fnProps(fn).Environment as { Variables: Record<string, EnvValue> }).Variables,
    timeout: (fn: ProjectFunction) => fnProps(fn).Timeout,
  };
}

describe('REST API', () => {
  const methods = ofType('AWS::ApiGateway::Method');

  it.each(deployedRoutes.map((route) => [route.id, route] as const))(
    '%s has its method, function and auth',
    (_id, route) => {
      const fn = stack.restApi.functions[route.id];
      expect(fn, `no function for ${route.id}`).toBeInstanceOf(ProjectFunction);
      const fnId = logicalIdOf(fn!);
      expect(resources[fnId]?.Type).toBe('AWS::Lambda::Function');
      expect(JSON.stringify(props(fnId).Handler)).toBe('"index.handler"');

      const matching = methods.filter(
        ([, m]) =>
          m.Properties?.HttpMethod === route.method &&
          resourcePath((m.Properties.ResourceId as { Ref: string }).Ref) === route.path,
      );
      expect(matching, `${route.method} ${route.path}`).toHaveLength(1);
      const method = matching[0]![1].Properties!;
      expect(refersTo(method.Integration, fnId), 'integration targets the route function').toBe(true);
      expect((method.Integration as { Type: string }).Type).toBe('AWS_PROXY');
      if (route.roles === 'public') {
        expect(method.AuthorizationType).toBe('NONE');
        expect(method.AuthorizerId).toBeUndefined();
      } else {
        expect(method.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(method.AuthorizerId).toBeDefined();
      }
    },
  );

  it('lets API Gateway invoke each route function for its own method and path on the stage only', () => {
    for (const route of deployedRoutes) {
      const fnId = logicalIdOf(stack.restApi.functions[route.id]!);
      const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) =>
        refersTo(p.Properties?.FunctionName, fnId),
      );
      expect(permissions, route.id).toHaveLength(1);
      const permission = permissions[0]![1].Properties!;
      expect(permission.Principal).toBe('apigateway.amazonaws.com');
      expect(refersTo(permission.SourceArn, logicalIdOf(stack.restApi.api)), route.id).toBe(true);
      const arn = JSON.stringify(permission.SourceArn);
      const stageName = props(logicalIdOf(stack.restApi.api.deploymentStage)).StageName;
      expect(stageName).toBe('v1');
      expect(arn, route.id).toContain(`/v1/${route.method}${route.path.replace(/\{[^}]*\}/g, '*')}"`);
    }
  });

  it('deploys the stage after every routes’ nested stack', () => {
    const deployments = ofType('AWS::ApiGateway::Deployment');
    expect(deployments).toHaveLength(1);
    for (const nested of Object.values(stack.restApi.routes)) {
      expect([deployments[0]![1].DependsOn].flat()).toContain(logicalIdOf(nested.nestedStackResource!));
    }
  });

  it('has no methods beyond the routes table and CORS preflights', () => {
    const nonOptions = methods.filter(([, m]) => m.Properties?.HttpMethod !== 'OPTIONS');
    expect(nonOptions).toHaveLength(deployedRoutes.length);
    for (const [, m] of methods.filter(([, m]) => m.Properties?.HttpMethod === 'OPTIONS')) {
      expect(m.Properties?.AuthorizationType).toBe('NONE');
      expect(JSON.stringify(m.Properties?.Integration)).toContain('Access-Control-Allow-Origin');
    }
  });

  it('authorizes with the Cognito user pool', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [logicalIdOf(stack.auth.userPool), 'Arn'] }],
    });
  });

  it.each([
    ['UNAUTHORIZED', '401', 'unauthorized'],
    ['ACCESS_DENIED', '403', 'forbidden'],
    ['MISSING_AUTHENTICATION_TOKEN', '404', 'not_found'],
    ['DEFAULT_4XX', undefined, 'bad_request'],
    ['DEFAULT_5XX', undefined, 'internal_error'],
  ])('answers %s in the project error shape', (type, status, code) => {
    const found = ofType('AWS::ApiGateway::GatewayResponse').filter(
      ([, r]) => r.Properties?.ResponseType === type,
    );
    expect(found).toHaveLength(1);
    const response = found[0]![1].Properties!;
    expect(response.StatusCode).toBe(status);
    const raw = (response.ResponseTemplates as Record<string, string>)['application/json']!;
    const body = JSON.parse(
      raw
        .replaceAll('$context.error.messageString', '"Some message"')
        .replaceAll('$context.requestId', 'req-1'),
    ) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(Object.keys(body)).toEqual(['error']);
    expect(refersTo(response.ResponseParameters, logicalIdOf(stack.web.distribution))).toBe(true);
  });

  it("puts the handlers' security headers on every gateway response", () => {
    const responses = ofType('AWS::ApiGateway::GatewayResponse');
    expect(responses.length).toBeGreaterThanOrEqual(7);
    const quoted = (value: string) => `'${value.replaceAll("'", "\\'")}'`;
    for (const [, response] of responses) {
      const parameters = response.Properties!.ResponseParameters as Record<string, unknown>;
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(parameters[`gatewayresponse.header.${name}`], name).toBe(quoted(value));
      }
    }
  });

  it('logs access without bodies, traces and throttles the stage', () => {
    const stage = ofType('AWS::ApiGateway::Stage')[0]![1].Properties!;
    expect(stage.TracingEnabled).toBe(true);
    expect(stage.AccessLogSetting).toMatchObject({ DestinationArn: expect.anything() });
    expect(String((stage.AccessLogSetting as { Format: string }).Format)).not.toMatch(/body/i);
    const settings = (stage.MethodSettings as Record<string, unknown>[])[0]!;
    expect(settings.DataTraceEnabled).toBe(false);
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThan(0);
  });

  it('grants Cognito admin calls only to the routes flagged cognitoAdmin, and the table to every route', () => {
    const flagged = deployedRoutes.filter((route) => route.cognitoAdmin).map((route) => route.id);
    // Sign-up uses Cognito's public SignUp: the register function has no Cognito right at all.
    expect(flagged.sort()).toEqual(['createDoctor', 'deleteMyAccount']);
    const register = actionsOf(roleStatements(stack.restApi.functions.registerPatient!));
    expect(register.filter((a) => a.startsWith('cognito-idp:'))).toEqual([]);
    for (const route of deployedRoutes) {
      const actions = actionsOf(roleStatements(stack.restApi.functions[route.id]!));
      expect(actions, route.id).toContain('dynamodb:GetItem');
      expect(actions.includes('dynamodb:PutItem'), route.id).toBe(route.access !== 'read');
      if (!route.cognitoActions) {
        expect(actions.includes('cognito-idp:AdminCreateUser'), route.id).toBe(route.cognitoAdmin === true);
      }
    }
  });

  it("grants the admin console's routes exactly the Cognito actions they declare", () => {
    const declaring = deployedRoutes.filter((route) => route.cognitoActions);
    expect(declaring.map((route) => route.id).sort()).toEqual([
      'deactivateDoctor',
      'reactivateDoctor',
      'resendInvitation',
    ]);
    for (const route of declaring) {
      const actions = actionsOf(roleStatements(stack.restApi.functions[route.id]!));
      expect(actions.filter((a) => a.startsWith('cognito-idp:')).sort(), route.id).toEqual(
        [...route.cognitoActions!].sort(),
      );
    }
  });

  it('deploys no local-only route: no method, resource or function', () => {
    expect(localOnlyRoutes.map((route) => route.id)).toContain('listOutbox');
    const resourcePaths = ofType('AWS::ApiGateway::Resource').map(([id]) => resourcePath(id));
    const descriptions = ofType('AWS::Lambda::Function').map(([, fn]) => String(fn.Properties?.Description));
    for (const route of localOnlyRoutes) {
      expect(stack.restApi.functions[route.id], route.id).toBeUndefined();
      expect(
        stack.node.findAll().filter((c) => c.node.id.includes(route.id)),
        route.id,
      ).toEqual([]);
      const shared = deployedRoutes.some((r) => r.path === route.path);
      if (!shared) expect(resourcePaths, route.id).not.toContain(route.path);
      expect(
        methods.filter(
          ([, m]) =>
            m.Properties?.HttpMethod === route.method &&
            resourcePath((m.Properties.ResourceId as { Ref: string }).Ref) === route.path,
        ),
        route.id,
      ).toEqual([]);
      expect(
        descriptions.filter((d) => d.includes(route.path)),
        route.id,
      ).toEqual([]);
    }
    // The development pages share no path prefix with the product.
    expect(resourcePaths.filter((p) => p === '/dev' || p.startsWith('/dev/'))).toEqual([]);
  });
});

describe('WebSocket API', () => {
  const routes = ofType('AWS::ApiGatewayV2::Route');

  it.each(wsRouteList.map((route) => [route.route, route] as const))(
    'routes %s to its function',
    (routeKey, route) => {
      const found = routes.filter(([, r]) => r.Properties?.RouteKey === routeKey);
      expect(found).toHaveLength(1);
      const integrationId = (found[0]![1].Properties!.Target as { 'Fn::Join': [string, unknown[]] })[
        'Fn::Join'
      ][1]
        .map((part) => (part as { Ref?: string }).Ref)
        .find(Boolean)!;
      const fn = stack.realtime.functions[route.id]!;
      expect(refersTo(props(integrationId).IntegrationUri, logicalIdOf(fn))).toBe(true);
      const env = (props(logicalIdOf(fn)).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.stringify(env.WS_MANAGEMENT_ENDPOINT)).toMatch(/https:\/\/.*execute-api/);
      expect(actionsOf(roleStatements(fn))).toContain('execute-api:ManageConnections');
    },
  );

  it('answers the two-way routes (ping) with a route response, and only those', () => {
    const twoWay = wsRouteList.filter((route) => route.routeResponse).map((route) => route.route);
    expect(twoWay).toEqual(['ping']);
    const withResponse = routes
      .filter(([, r]) => r.Properties?.RouteResponseSelectionExpression === '$default')
      .map(([, r]) => r.Properties!.RouteKey);
    expect(withResponse).toEqual(twoWay);
    const responses = ofType('AWS::ApiGatewayV2::RouteResponse');
    expect(responses).toHaveLength(1);
    expect(responses[0]![1].Properties).toMatchObject({ RouteResponseKey: '$default' });
  });

  it('authorizes $connect with the Lambda authorizer reading ?token=, and only $connect', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    expect(
      refersTo(authorizer.Properties!.AuthorizerUri, logicalIdOf(stack.realtime.authorizerFunction)),
    ).toBe(true);
    for (const [, route] of routes) {
      const isConnect = route.Properties?.RouteKey === '$connect';
      expect(route.Properties?.AuthorizationType ?? 'NONE').toBe(isConnect ? 'CUSTOM' : 'NONE');
      if (isConnect) expect(route.Properties?.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it('selects routes by the frame action and throttles an auto-deployed stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const stage = ofType('AWS::ApiGatewayV2::Stage')[0]![1].Properties!;
    expect(stage.AutoDeploy).toBe(true);
    const settings = stage.DefaultRouteSettings as Record<string, number>;
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThan(0);
  });
});

describe('Lambda functions', () => {
  const projectFunctions = stack.node
    .findAll()
    .filter((c): c is ProjectFunction => c instanceof ProjectFunction);
  const projectIds = new Set(projectFunctions.map(logicalIdOf));
  const triggerIds = new Set(
    Object.keys(cognitoTriggers).map((t) =>
      logicalIdOf(stack.auth.node.findChild(`Trigger-${t}`) as ProjectFunction),
    ),
  );
  const allFunctions = ofType('AWS::Lambda::Function');

  it('exist once per deployed REST route, WebSocket route, user-pool trigger, the authorizer and the two jobs', () => {
    expect(projectFunctions).toHaveLength(
      deployedRoutes.length + wsRouteList.length + Object.keys(cognitoTriggers).length + 3,
    );
  });

  it('wire each user-pool trigger with the Cognito actions its entry declares and nothing more', () => {
    const pool = ofType('AWS::Cognito::UserPool')[0]![1].Properties as {
      LambdaConfig: Record<string, unknown>;
      MfaConfiguration: string;
    };
    for (const [trigger, { cognitoActions }] of Object.entries(cognitoTriggers)) {
      const fn = stack.auth.node.findChild(`Trigger-${trigger}`) as ProjectFunction;
      const id = logicalIdOf(fn);
      expect(pool.LambdaConfig[trigger], trigger).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
      const actions = actionsOf(roleStatements(fn)).filter((a) => a.startsWith('cognito-idp:'));
      expect(actions.sort(), trigger).toEqual([...cognitoActions].sort());
    }
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
  });

  it('all run Node.js 24 on arm64 with tracing and the common environment, without source maps at run time', () => {
    for (const id of projectIds) {
      const p = props(id);
      expect(p.Runtime, id).toBe('nodejs24.x');
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(p.MemorySize, id).toBe(512);
      expect(p.LoggingConfig, id).toMatchObject({ LogGroup: expect.anything() });
      const env = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      // --enable-source-maps costs ~20 % of each cold start; the .map files map traces offline.
      expect(env.NODE_OPTIONS, id).toBeUndefined();
      // A user-pool trigger cannot be told its own pool (a cycle): it reads it from the event.
      const pool = triggerIds.has(id) ? [] : ['USER_POOL_ID', 'USER_POOL_CLIENT_ID'];
      for (const name of ['TABLE_NAME', ...pool, 'ALLOWED_ORIGINS']) {
        expect(env[name], `${id} ${name}`).toBeDefined();
      }
      expect(env.POWERTOOLS_SERVICE_NAME).toBe('telehealth');
      expect(refersTo(env.ALLOWED_ORIGINS, logicalIdOf(stack.web.distribution))).toBe(true);
    }
  });

  it('time out after 10 s at most, texting routes too; only the text sender may take longer', () => {
    const sender = stack.notifications.textFunction;
    for (const { name, fn } of deployedFunctions(stack)) {
      expect(props(logicalIdOf(fn)).Timeout, name).toBe(fn === sender ? 20 : 10);
    }
    // Of all Lambda functions; the CDK's own deployment handler copies the site at deploy time only.
    const longer = allFunctions
      .filter(([id, r]) => !id.startsWith('CustomCDKBucketDeployment') && Number(r.Properties?.Timeout) > 10)
      .map(([id]) => id);
    expect(longer).toEqual([logicalIdOf(sender)]);
    // Not vacuous: some routes text, and the routes table says which.
    expect(deployedRoutes.filter((route) => route.uses?.includes('sms')).length).toBeGreaterThan(0);
  });

  it('all get the provider selectors, the Twilio secret ARN and the reminder policy', () => {
    // Selectors everywhere, so no function ever falls back to a local provider or the p2p default.
    const n = stack.notifications;
    for (const id of projectIds) {
      const env = envOf(id);
      expect(env, id).toMatchObject({
        SMS_PROVIDER: 'twilio',
        REMINDER_SCHEDULER: 'eventbridge',
        VIDEO_PROVIDER: 'p2p',
        ICE_FROM_TWILIO: 'true',
        APPOINTMENT_CHANGE_CUTOFF_MINUTES: '120',
        APPOINTMENT_MIN_NOTICE_MINUTES: '60',
        REMINDER_MINUTES_BEFORE: '15',
        PRACTICE_NAME: 'Riverside Demo Clinic',
      });
      expect(env.TWILIO_SECRET_ARN, id).toEqual({ Ref: logicalIdOf(n.twilioSecret) });
      // Static TURN credentials would sit in plain sight in every function: ICE comes from Twilio.
      expect(env.ICE_SERVERS, id).toBeUndefined();
    }
  });

  it('get configured STUN servers (no credentials) as ICE_SERVERS, the p2p fallback', () => {
    const variables = Object.values(flatTemplate(unbuilt).Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties as { Environment?: { Variables?: Record<string, unknown> } })
      .map((p) => p.Environment?.Variables ?? {})
      .filter((v) => 'TABLE_NAME' in v);
    expect(variables.length).toBeGreaterThan(0);
    for (const v of variables) {
      expect(v.ICE_SERVERS).toBe(JSON.stringify([{ urls: ['stun:stun.example.test:3478'] }]));
    }
  });

  it('keep the reminder job under a fixed name; it needs no ARN of its own', () => {
    const reminderId = logicalIdOf(stack.notifications.reminderFunction);
    expect(props(reminderId).FunctionName).toBe('Telehealth-send-reminder');
    expect(envOf(reminderId).REMINDER_TARGET_ARN).toBeUndefined();
    expect(refersTo(props(reminderId), reminderId)).toBe(false);
  });

  it('other functions are only the CDK bucket deployment handler', () => {
    const others = allFunctions
      .filter(([id]) => !projectIds.has(id) && !triggerIds.has(id))
      .map(([id]) => id);
    expect(others).toHaveLength(1);
    expect(others[0]).toMatch(/^CustomCDKBucketDeployment/);
  });

  it('never point at the local platform', () => {
    for (const [id, fn] of allFunctions) {
      const variables =
        (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(Object.keys(variables), id).not.toContain('DYNAMODB_ENDPOINT');
      expect(Object.keys(variables), id).not.toContain('COGNITO_LOCAL_ENDPOINT');
    }
  });

  it('name every provider explicitly (a function without one refuses to start)', () => {
    for (const id of projectIds) {
      const variables = (props(id).Environment as { Variables: Record<string, unknown> }).Variables;
      // The outbox and the table-polling scheduler exist only on the local platform.
      expect(variables, id).toMatchObject({
        SMS_PROVIDER: 'twilio',
        REMINDER_SCHEDULER: 'eventbridge',
        VIDEO_PROVIDER: expect.stringMatching(/^(p2p|twilio)$/),
        TWILIO_SECRET_ARN: expect.anything(),
      });
    }
  });

  it('each have one error alarm, the REST routes’ too: the stack’s alarms name them by the nested stacks’ outputs', () => {
    for (const fn of projectFunctions) expect(errorAlarmsOf(logicalIdOf(fn)), fn.node.path).toHaveLength(1);
    const alarms = JSON.stringify(
      Object.values(template.toJSON().Resources as Record<string, Resource>).filter(
        (r) => r.Type === 'AWS::CloudWatch::Alarm',
      ),
    );
    for (const nested of Object.values(stack.restApi.routes)) {
      const nestedId = logicalIdOf(nested.nestedStackResource!);
      expect(alarms).toContain(`{"Fn::GetAtt":["${nestedId}","Outputs.`);
    }
  });

  it('have log groups with a retention', () => {
    for (const id of projectIds) {
      const logGroupId = (props(id).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(props(logGroupId).RetentionInDays, id).toBeGreaterThan(0);
    }
  });
});

describe('Notifications', () => {
  const n = stack.notifications;
  const reminderId = logicalIdOf(n.reminderFunction);
  const schedulerRoleId = logicalIdOf(n.schedulerRole);
  const secretId = logicalIdOf(n.twilioSecret);
  const groupId = logicalIdOf(n.scheduleGroup);
  /** The functions whose routes declare `reminders`. */
  const changeFunctions = deployedFunctions(stack)
    .filter((d) => d.uses.includes('reminders'))
    .map((d) => d.fn);
  const policies = ofType('AWS::IAM::Policy');
  /** Logical ids (sorted, unique) of the roles whose policies have a statement matching `match`. */
  const rolesWith = (match: (s: Statement) => boolean) =>
    [
      ...new Set(
        policies
          .filter(([, r]) =>
            (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.some(match),
          )
          .flatMap(([, r]) => (r.Properties?.Roles as { Ref: string }[]).map((role) => role.Ref)),
      ),
    ].sort();
  const execRoleOf = (fn: ProjectFunction) => logicalIdOf(fn.role!);
  const hasAction = (s: Statement, pattern: RegExp) => [s.Action].flat().some((a) => pattern.test(String(a)));

  it('has the reminder job as a function that no API invokes', () => {
    expect(resources[reminderId]?.Type).toBe('AWS::Lambda::Function');
    expect(String(props(reminderId).Description)).toContain(jobs.sendReminder.summary);
    expect(Object.values(stack.restApi.functions)).not.toContain(n.reminderFunction);
    expect(Object.values(stack.realtime.functions)).not.toContain(n.reminderFunction);
    const permissions = ofType('AWS::Lambda::Permission').filter(([, r]) =>
      refersTo(r.Properties?.FunctionName, reminderId),
    );
    expect(permissions).toEqual([]);
    // It reads appointments and profiles; at a visit's start it records the rescue and counts the
    // visit for its doctor-week (no-show rescue), so it writes as its declared access says. The audit
    // Deny covers it like every writer (Least privilege).
    const actions = actionsOf(roleStatements(n.reminderFunction));
    expect(actions).toContain('dynamodb:GetItem');
    expect(jobs.sendReminder.access).toBe('write');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
  });

  it('lets EventBridge Scheduler, for this account only, assume the role that invokes it', () => {
    const trust = (props(schedulerRoleId).AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
    expect(refersTo(trust[0]!.Condition, groupId)).toBe(true);

    const statements = policies
      .filter(([, r]) => JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: schedulerRoleId }]))
      .flatMap(([, r]) => (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements.length).toBeGreaterThan(0);
    // Besides invoking the reminder job it may only drop undeliverable reminders in their queue.
    const invoking = statements.filter((st) => !hasAction(st, /^sqs:SendMessage$/));
    for (const statement of statements.filter((st) => hasAction(st, /^sqs:/))) {
      expect(
        refersTo((statement as { Resource?: unknown }).Resource, logicalIdOf(n.reminderDeadLetters)),
      ).toBe(true);
    }
    for (const statement of invoking) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Action).toBe('lambda:InvokeFunction');
      const resourcesOf = [(statement as { Resource?: unknown }).Resource].flat();
      expect(resourcesOf.length).toBeGreaterThan(0);
      for (const resource of resourcesOf)
        expect(refersTo(resource, reminderId), JSON.stringify(resource)).toBe(true);
    }
    expect(rolesWith((s) => hasAction(s, /^lambda:(InvokeFunction|\*)$|^\*$/))).toEqual([schedulerRoleId]);
  });

  it('keeps the reminders in their own schedule group', () => {
    expect(resources[groupId]?.Type).toBe('AWS::Scheduler::ScheduleGroup');
    expect(ofType('AWS::Scheduler::ScheduleGroup')).toHaveLength(1);
    expect(props(groupId).Name).toBe('telehealth-reminders');
  });

  it('lets only the functions using reminders manage schedules and pass the scheduler role', () => {
    expect(changeFunctions.length).toBeGreaterThan(0);
    const expected = changeFunctions.map(execRoleOf).sort();
    for (const action of ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule']) {
      expect(
        rolesWith((s) => hasAction(s, new RegExp(`^scheduler:${action}$`))),
        action,
      ).toEqual(expected);
    }
    expect(rolesWith((s) => hasAction(s, /^scheduler:|^\*$/))).toEqual(expected);
    expect(rolesWith((s) => hasAction(s, /^iam:(PassRole|\*)$|^\*$/))).toEqual(expected);
    for (const fn of changeFunctions) {
      const statements = roleStatements(fn);
      const scheduling = statements.filter((s) => hasAction(s, /^scheduler:/));
      for (const statement of scheduling) {
        const resource = JSON.stringify((statement as { Resource?: unknown }).Resource);
        // Any schedule of the reminder group, and nothing outside it.
        expect(resource).toContain(
          `:scheduler:eu-central-1:111111111111:schedule/${String(props(groupId).Name)}/*"`,
        );
      }
      const passRole = statements.filter((s) => hasAction(s, /^iam:PassRole$/));
      expect(passRole).toHaveLength(1);
      expect(passRole[0]).toMatchObject({
        Resource: { 'Fn::GetAtt': [schedulerRoleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      });
    }
  });

  it('keeps the Twilio credentials in a secret under its own key, with frozen placeholders', () => {
    expect(resources[secretId]?.Type).toBe('AWS::SecretsManager::Secret');
    expect(ofType('AWS::SecretsManager::Secret')).toHaveLength(1);
    expect(resources[secretId]).toMatchObject({ DeletionPolicy: 'Retain' });
    const p = props(secretId);
    expect(p.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(n.secretsKey), 'Arn'] });
    // Any change here makes CloudFormation regenerate the value and wipe what ops stored: frozen.
    expect(p.GenerateSecretString).toEqual({
      SecretStringTemplate: JSON.stringify({ accountSid: 'REPLACE_ME', fromNumber: 'REPLACE_ME' }),
      GenerateStringKey: 'authToken',
      ExcludePunctuation: true,
    });
    // The description (safe to change) names every key the handlers read.
    for (const key of [
      'accountSid',
      'authToken',
      'fromNumber',
      'messagingServiceSid',
      'apiKeySid',
      'apiKeySecret',
    ])
      expect(String(p.Description)).toContain(key);
    expect(ofType('AWS::SecretsManager::ResourcePolicy')).toEqual([]);
    template.hasOutput('TwilioSecretArn', { Value: { Ref: secretId } });
  });

  it('gets an error alarm for the reminder job', () => {
    expect(errorAlarmsOf(reminderId)).toHaveLength(1);
  });
});

describe('Text queue and dead letters', () => {
  const n = stack.notifications;
  const queueId = logicalIdOf(n.textQueue);
  const textDlqId = logicalIdOf(n.textDeadLetters);
  const reminderDlqId = logicalIdOf(n.reminderDeadLetters);
  const senderId = logicalIdOf(n.textFunction);

  it('keeps texts in an encrypted queue that moves a text to its dead-letter queue after the last attempt', () => {
    expect(ofType('AWS::SQS::Queue')).toHaveLength(3);
    expect(props(queueId)).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [textDlqId, 'Arn'] },
        maxReceiveCount: jobs.sendText.maxAttempts,
      },
    });
    // Longer than the sender may run, so a text is never handed out twice at once.
    expect(Number(props(queueId).VisibilityTimeout)).toBeGreaterThan(Number(props(senderId).Timeout));
    for (const id of [textDlqId, reminderDlqId]) {
      expect(props(id)).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    }
  });

  it('feeds the sender one text per run, reporting a failed one, at most the Twilio rate at once', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    expect(mappings[0]![1].Properties).toMatchObject({
      FunctionName: { Ref: senderId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: jobs.sendText.maxConcurrency },
      // A Twilio call may take 10 s (functions/adapters/sms/twilio.ts) of the sender's 20.
      BatchSize: 1,
    });
    expect(props(senderId).ReservedConcurrentExecutions).toBe(jobs.sendText.maxConcurrency);
    expect(String(props(senderId).Description)).toContain(jobs.sendText.summary);
  });

  it('alarms to the alarm topic as soon as either dead-letter queue holds a message', () => {
    for (const id of [textDlqId, reminderDlqId]) {
      const alarms = ofType('AWS::CloudWatch::Alarm').filter(
        ([, a]) => a.Properties?.Namespace === 'AWS/SQS' && refersTo(a.Properties?.Dimensions, id),
      );
      expect(alarms, id).toHaveLength(1);
      expect(alarms[0]![1].Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: logicalIdOf(stack.ops.topic) }],
      });
    }
  });

  it('only the sender reads the Twilio secret among the texting functions, and it has an error alarm', () => {
    expect(actionsOf(roleStatements(n.textFunction))).toContain('secretsmanager:GetSecretValue');
    expect(actionsOf(roleStatements(n.reminderFunction)).join(' ')).not.toMatch(/secretsmanager/);
    expect(errorAlarmsOf(senderId)).toHaveLength(1);
  });
});

describe.each([
  {
    name: 'p2p video with TURN from Twilio (default)',
    s: stack,
    video: 'p2p',
    ice: 'true',
    twilioVideo: true,
  },
  { name: 'p2p video without Twilio', s: unbuilt, video: 'p2p', ice: 'false', twilioVideo: false },
  { name: 'Twilio video', s: twilioStack, video: 'twilio', ice: 'false', twilioVideo: true },
])('capabilities with $name go exactly to the functions declaring them', ({ s, video, ice, twilioVideo }) => {
  const view = viewOf(s);
  const deployed = deployedFunctions(s);
  const names = (list: readonly Deployed[]) => list.map((d) => d.name).sort();
  const using = (capability: Capability) => deployed.filter((d) => d.uses.includes(capability));
  const allowedTo = (action: RegExp) =>
    names(deployed.filter((d) => actionsOf(view.statements(d.fn)).some((a) => action.test(a))));
  const withEnv = (name: string) => names(deployed.filter((d) => name in view.env(d.fn)));
  const n = s.notifications;

  it('every capability is declared by some route (else these tests prove nothing)', () => {
    for (const capability of [
      'sms',
      'smsNow',
      'smsWebhook',
      'reminders',
      'realtime',
      'video',
      'twilioStatus',
    ] as const) {
      expect(
        deployedRoutes.filter((route) => route.uses?.includes(capability)),
        capability,
      ).not.toHaveLength(0);
    }
  });

  it('the text sender, phone codes, the Twilio webhook, twilioStatus (and video through Twilio): read the Twilio secret, nothing else of Secrets Manager', () => {
    const expected = deployed.filter(
      (d) =>
        d.fn === n.textFunction ||
        d.uses.includes('smsNow') ||
        d.uses.includes('smsWebhook') ||
        d.uses.includes('twilioStatus') ||
        (twilioVideo && d.uses.includes('video')),
    );
    expect(allowedTo(/^secretsmanager:(GetSecretValue|\*)$|^\*$/)).toEqual(names(expected));
    for (const { name, fn } of expected) {
      for (const statement of view
        .statements(fn)
        .filter((st) => actionsOf([st]).some((a) => a.startsWith('secretsmanager:')))) {
        expect((statement as { Resource?: unknown }).Resource, name).toEqual({
          Ref: view.idOf(n.twilioSecret),
        });
      }
    }
    if (!twilioVideo) {
      // Video-only routes then have no business with Twilio.
      const videoOnly = using('video').filter((d) => !d.uses.includes('sms'));
      expect(videoOnly.length).toBeGreaterThan(0);
      for (const { name, fn } of videoOnly)
        expect(actionsOf(view.statements(fn)).join(' '), name).not.toMatch(/secretsmanager/);
    }
  });

  it('sms: queue texts (send to the text queue, and know its URL), nothing else of SQS', () => {
    const expected = names(using('sms'));
    expect(expected.length).toBeGreaterThan(0);
    expect(allowedTo(/^sqs:SendMessage$|^sqs:\*$|^\*$/)).toEqual(expected);
    expect(withEnv('TEXT_QUEUE_URL')).toEqual(expected);
    for (const { name, fn } of using('sms')) {
      expect(view.env(fn).TEXT_QUEUE_URL, name).toEqual({ Ref: view.idOf(n.textQueue) });
      for (const statement of view
        .statements(fn)
        .filter((st) => actionsOf([st]).some((a) => a.startsWith('sqs:'))))
        expect(refersTo((statement as { Resource?: unknown }).Resource, view.idOf(n.textQueue)), name).toBe(
          true,
        );
    }
  });

  it('reminders: manage schedules, pass the scheduler role, and know the target, role and group', () => {
    const expected = names(using('reminders'));
    for (const action of ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule']) {
      expect(allowedTo(new RegExp(`^scheduler:(${action}|\\*)$|^\\*$`)), action).toEqual(expected);
    }
    expect(allowedTo(/^iam:(PassRole|\*)$|^\*$/)).toEqual(expected);
    for (const variable of [
      'REMINDER_TARGET_ARN',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULE_GROUP',
      'REMINDER_DLQ_ARN',
    ]) {
      expect(withEnv(variable), variable).toEqual(expected);
    }
    for (const { name, fn } of using('reminders')) {
      expect(view.env(fn), name).toMatchObject({
        REMINDER_TARGET_ARN: { 'Fn::GetAtt': [view.idOf(n.reminderFunction), 'Arn'] },
        SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [view.idOf(n.schedulerRole), 'Arn'] },
        SCHEDULE_GROUP: { Ref: view.idOf(n.scheduleGroup) },
        REMINDER_DLQ_ARN: { 'Fn::GetAtt': [view.idOf(n.reminderDeadLetters), 'Arn'] },
      });
    }
  });

  it('PUBLIC_API_URL (where Twilio posts and what it signs) goes to the functions that text at once, the sender and the webhook, built from the API id, not its stage (a cycle)', () => {
    const expected = deployed.filter(
      (d) => d.fn === n.textFunction || d.uses.includes('smsNow') || d.uses.includes('smsWebhook'),
    );
    expect(withEnv('PUBLIC_API_URL')).toEqual(names(expected));
    const apiId = view.idOf(s.restApi.api);
    const stageId = view.idOf(s.restApi.api.deploymentStage);
    for (const { name, fn } of expected) {
      const url = view.env(fn).PUBLIC_API_URL;
      expect(refersTo(url, apiId), name).toBe(true);
      expect(refersTo(url, stageId), name).toBe(false);
      expect(JSON.stringify(url), name).toMatch(/"https:\/\/".*\/v1"/);
    }
  });

  it("realtime: the stage's @connections endpoint and the right to post there (all WebSocket functions too)", () => {
    const expected = names(using('realtime'));
    expect(allowedTo(/^execute-api:(ManageConnections|\*)$|^\*$/)).toEqual(expected);
    expect(withEnv('WS_MANAGEMENT_ENDPOINT')).toEqual(expected);
    const apiId = view.idOf(s.realtime.api);
    for (const { name, fn } of using('realtime')) {
      const endpoint = JSON.stringify(view.env(fn).WS_MANAGEMENT_ENDPOINT);
      expect(endpoint, name).toMatch(/"https:\/\/"/);
      expect(refersTo(view.env(fn).WS_MANAGEMENT_ENDPOINT, apiId), name).toBe(true);
      const manage = view
        .statements(fn)
        .filter((st) => actionsOf([st]).includes('execute-api:ManageConnections'));
      expect(manage, name).not.toHaveLength(0);
      for (const statement of manage) {
        const resource = JSON.stringify((statement as { Resource?: unknown }).Resource);
        expect(resource, name).toContain('/@connections/*');
        expect(refersTo((statement as { Resource?: unknown }).Resource, apiId), name).toBe(true);
      }
    }
  });

  it('video: every function knows the provider and where ICE servers come from', () => {
    for (const { name, fn } of deployed) {
      expect(view.env(fn), name).toMatchObject({ VIDEO_PROVIDER: video, ICE_FROM_TWILIO: ice });
    }
  });
});

describe('Data', () => {
  it('is one PAY_PER_REQUEST table with PITR, a customer-managed KMS key and the key design', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [tableId, table] = tables[0]!;
    const p = table.Properties!;
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.SSESpecification).toMatchObject({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: expect.anything(),
    });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
    const indexes = p.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown;
      Projection: unknown;
    }[];
    expect(indexes.map((i) => i.IndexName)).toEqual(TABLE.indexes.map((i) => i.name));
    // Patients' appointments are listed from gsi2: the key design has both indexes.
    expect(indexes.map((i) => i.IndexName)).toEqual(['gsi1', 'gsi2']);
    expect(p.AttributeDefinitions).toEqual(
      expect.arrayContaining(
        ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      ),
    );
    for (const index of TABLE.indexes) {
      expect(indexes.find((i) => i.IndexName === index.name)).toMatchObject({
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
    expect(resources[tableId]).toMatchObject({ DeletionPolicy: 'Retain' });
    const keyId = (p.SSESpecification as { KMSMasterKeyId: { 'Fn::GetAtt': [string] } }).KMSMasterKeyId[
      'Fn::GetAtt'
    ][0];
    expect(resources[keyId]?.Type).toBe('AWS::KMS::Key');
    expect(props(keyId).EnableKeyRotation).toBe(true);
  });
});

describe('Least privilege', () => {
  const tableId = logicalIdOf(stack.data.table);
  const dataKeyId = logicalIdOf(stack.data.key);
  const secretsKeyId = logicalIdOf(stack.notifications.secretsKey);
  const functions = [
    ...deployedRoutes.map((route) => ({ fn: stack.restApi.functions[route.id]!, access: route.access })),
    ...wsRouteList.map((route) => ({ fn: stack.realtime.functions[route.id]!, access: route.access })),
    { fn: stack.notifications.reminderFunction, access: jobs.sendReminder.access },
    { fn: stack.notifications.textFunction, access: jobs.sendText.access },
  ];
  const allStatements = ofType('AWS::IAM::Policy').flatMap(
    ([, r]) => (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
  );
  const hasAction = (s: Statement, pattern: RegExp) => [s.Action].flat().some((a) => pattern.test(String(a)));
  const allows = (statements: Statement[]) => statements.filter((s) => s.Effect === 'Allow');
  const WRITE = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|\*)$/;
  const AUDIT_CONDITION = { 'dynamodb:LeadingKeys': ['AUDIT#*'] };

  it('declares table access for every route and job, and classifies the read-only ones', () => {
    expect(functions.every(({ access }) => ['read', 'audit', 'write'].includes(access))).toBe(true);
    expect(
      deployedRoutes
        .filter((route) => route.access === 'read')
        .map((route) => route.id)
        .sort(),
    ).toEqual([
      'getAvailability',
      'getGuestVisit',
      'getMe',
      'getPassVisit',
      'health',
      'listDoctorAccounts',
      'listDoctors',
      'listOpenSlots',
      'listRescues',
      'visitRates',
    ]);
  });

  it('gives read routes no DynamoDB write action and only decryption with the data key', () => {
    for (const { fn, access } of functions.filter((f) => f.access === 'read')) {
      const statements = allows(roleStatements(fn));
      expect(
        actionsOf(statements).filter((a) => WRITE.test(a)),
        fn.node.path,
      ).toEqual([]);
      const kms = statements.filter((s) => JSON.stringify(s).includes(dataKeyId));
      expect(actionsOf(kms).sort(), `${fn.node.path} ${access}`).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    }
  });

  it('lets audit routes put audit entries only, and nothing else', () => {
    const audited = functions.filter((f) => f.access === 'audit');
    expect(audited.length).toBeGreaterThan(0);
    for (const { fn } of audited) {
      const writes = allows(roleStatements(fn)).filter((s) => hasAction(s, WRITE));
      expect(writes, fn.node.path).toHaveLength(1);
      expect(writes[0]).toMatchObject({
        Action: 'dynamodb:PutItem',
        Condition: { 'ForAllValues:StringLike': AUDIT_CONDITION },
      });
    }
  });

  it('denies every role with table writes the update or deletion of audit entries', () => {
    const writers = functions.filter((f) => f.access === 'write');
    expect(writers.length).toBeGreaterThan(0);
    for (const { fn } of writers) {
      const statements = roleStatements(fn);
      expect(actionsOf(allows(statements)), fn.node.path).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
      );
      const deny = statements.filter((s) => s.Effect === 'Deny');
      expect(deny, fn.node.path).toHaveLength(1);
      expect([deny[0]!.Action].flat().sort()).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:UpdateItem',
      ]);
      expect(deny[0]).toMatchObject({
        Condition: { 'ForAnyValue:StringLike': AUDIT_CONDITION },
      });
      expect(refersTo((deny[0] as { Resource?: unknown }).Resource, tableId)).toBe(true);
    }
    // Unconditional updates or deletes of the table: only where the Deny above applies.
    const unguarded = ofType('AWS::IAM::Policy').filter(([, r]) => {
      const statements = (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
      const updates = statements.some(
        (s) => s.Effect === 'Allow' && hasAction(s, /^dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|\*)$/),
      );
      return updates && !statements.some((s) => s.Effect === 'Deny');
    });
    expect(unguarded.map(([id]) => id)).toEqual([]);
  });

  it('lets no role scan the table or read its stream', () => {
    expect(
      actionsOf(allStatements).filter((a) => /^dynamodb:(Scan|GetRecords|GetShardIterator|\*)$|^\*$/.test(a)),
    ).toEqual([]);
  });

  it('has separate keys for the data and the secrets, used only through their services', () => {
    // Besides these two: the backup vault's key and the alarm topic's, each for its service only.
    expect(
      ofType('AWS::KMS::Key')
        .map(([id]) => id)
        .sort(),
    ).toEqual(
      [dataKeyId, secretsKeyId, logicalIdOf(stack.backup.key), logicalIdOf(stack.ops.topicKey)].sort(),
    );
    for (const statement of allStatements.filter((s) => JSON.stringify(s).includes(`"${dataKeyId}"`))) {
      expect(statement.Condition, JSON.stringify(statement)).toEqual({
        StringEquals: { 'kms:ViaService': 'dynamodb.eu-central-1.amazonaws.com' },
      });
    }
    // The secrets key's policy has only the default statement, which lets IAM policies grant the key:
    // a key policy naming the roles of the routes' nested stack would be a CloudFormation cycle. The
    // roles that may read the secret, and only they, may decrypt with it, through Secrets Manager only.
    // Besides it, only the statement Secrets Manager itself needs, for the account through Secrets
    // Manager: no role is named there.
    const keyPolicy = (props(secretsKeyId).KeyPolicy as { Statement: Statement[] }).Statement;
    const besidesDefault = keyPolicy.filter((s) => s.Action !== 'kms:*');
    expect(besidesDefault).toHaveLength(1);
    expect(besidesDefault[0]).toMatchObject({
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
    });
    expect(besidesDefault[0]!.Principal).toEqual({
      AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] },
    });
    const rolesAllowed = (match: (s: Statement) => boolean) =>
      ofType('AWS::IAM::Policy')
        .filter(([, r]) =>
          (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.some(
            (s) => s.Effect === 'Allow' && match(s),
          ),
        )
        .flatMap(([, r]) => (r.Properties?.Roles as { Ref: string }[]).map((role) => role.Ref))
        .sort();
    const onSecretsKey = (s: Statement) => JSON.stringify(s).includes(`"${secretsKeyId}"`);
    const decrypting = rolesAllowed(onSecretsKey);
    expect(decrypting.length).toBeGreaterThan(0);
    expect(decrypting).toEqual(rolesAllowed((s) => hasAction(s, /^secretsmanager:GetSecretValue$/)));
    for (const statement of allStatements.filter(onSecretsKey)) {
      expect(statement.Action, JSON.stringify(statement)).toBe('kms:Decrypt');
      expect(statement.Condition, JSON.stringify(statement)).toEqual({
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' },
      });
    }
  });
});

describe('Auth', () => {
  it('lets users sign up and confirm a mailed code, with email as username and the shared password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeletionProtection: 'ACTIVE',
      Policies: {
        PasswordPolicy: {
          MinimumLength: PASSWORD_POLICY.minLength,
          RequireLowercase: PASSWORD_POLICY.requireLowercase,
          RequireUppercase: PASSWORD_POLICY.requireUppercase,
          RequireNumbers: PASSWORD_POLICY.requireDigits,
          RequireSymbols: PASSWORD_POLICY.requireSymbols,
        },
      },
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('runs the PostConfirmation trigger, which may add users to groups and nothing else in Cognito', () => {
    const pool = ofType('AWS::Cognito::UserPool')[0]!;
    const trigger = stack.auth.node.findChild('Trigger-PostConfirmation') as ProjectFunction;
    const triggerId = logicalIdOf(trigger);
    expect(
      refersTo((pool[1].Properties!.LambdaConfig as Record<string, unknown>).PostConfirmation, triggerId),
    ).toBe(true);
    const cognitoActions = actionsOf(roleStatements(trigger)).filter((a) => a.startsWith('cognito-idp:'));
    expect(cognitoActions).toEqual(['cognito-idp:AdminAddUserToGroup']);
    // Naming the pool in the trigger (environment or policy) would be a CloudFormation cycle.
    expect(refersTo(props(triggerId), pool[0])).toBe(false);
    expect(roleStatements(trigger).some((s) => refersTo(s, pool[0]))).toBe(false);
    expect(envOf(triggerId)).not.toHaveProperty('USER_POOL_ID');
    expect(actionsOf(roleStatements(trigger))).toContain('dynamodb:UpdateItem');
  });

  it('has one group per role', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a public web client allowing exactly SRP and refresh (no USER_PASSWORD_AUTH), without OAuth', () => {
    const client = ofType('AWS::Cognito::UserPoolClient')[0]![1].Properties!;
    expect(client.GenerateSecret).toBe(false);
    expect([...(client.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(client.EnableTokenRevocation).toBe(true);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
    expect(client.AllowedOAuthFlows).toBeUndefined();
    expect(client.WriteAttributes).not.toContain('email');
  });

  it('issues access and ID tokens for 15 minutes and refresh tokens for 7 days', () => {
    const client = ofType('AWS::Cognito::UserPoolClient')[0]![1].Properties!;
    expect(client).toMatchObject({
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 7 * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it('stays on the Essentials plan without threat protection unless asked for it', () => {
    const pool = ofType('AWS::Cognito::UserPool')[0]![1].Properties!;
    expect(pool.UserPoolTier).toBe('ESSENTIALS');
    expect(pool.UserPoolAddOns).toBeUndefined();
  });
});

describe('Web', () => {
  it('keeps the bucket private: all public access blocked, only CloudFront (OAC) may read', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const statements = ofType('AWS::S3::BucketPolicy').flatMap(
      ([, r]) => (r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const isAnyone = (principal: unknown) => principal === '*' || JSON.stringify(principal) === '{"AWS":"*"}';
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      if (isAnyone(statement.Principal)) expect(statement.Condition, JSON.stringify(statement)).toBeDefined();
    }
    const cloudFront = statements.filter(
      (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === '{"Service":"cloudfront.amazonaws.com"}',
    );
    expect(cloudFront).toHaveLength(1);
    expect(cloudFront[0]!.Condition).toMatchObject({ StringEquals: { 'AWS:SourceArn': expect.anything() } });
    expect(
      statements.some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport'),
      ),
    ).toBe(true);
  });

  it('serves through CloudFront with origin access control, HTTPS and the SPA fallback', () => {
    expect(ofType('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(0);
    const config = ofType('AWS::CloudFront::Distribution')[0]![1].Properties!.DistributionConfig as Record<
      string,
      any
    >;
    const oacId = config.Origins[0].OriginAccessControlId['Fn::GetAtt'][0] as string;
    expect(resources[oacId]?.Type).toBe('AWS::CloudFront::OriginAccessControl');
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
    for (const status of [403, 404]) {
      expect(config.CustomErrorResponses).toContainEqual(
        expect.objectContaining({ ErrorCode: status, ResponseCode: 200, ResponsePagePath: '/index.html' }),
      );
    }
  });

  it('sends strict security headers with a CSP naming the APIs and Cognito', () => {
    const policy = ofType('AWS::CloudFront::ResponseHeadersPolicy')[0]![1].Properties!
      .ResponseHeadersPolicyConfig as Record<string, any>;
    const security = policy.SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(security.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    const csp = cspOf(stack);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['media-src']).toEqual(["'self'", 'blob:']);
    expect(csp['connect-src']).toEqual([
      "'self'",
      'https://cognito-idp.eu-central-1.amazonaws.com',
      `https://{${logicalIdOf(stack.restApi.api)}}.execute-api.eu-central-1.{AWS::URLSuffix}`,
      `{${logicalIdOf(stack.realtime.api)}.ApiEndpoint}`,
    ]);
    const raw = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(raw).not.toMatch(/unsafe-inline|unsafe-eval|\*|twilio/);
  });

  it.each([
    ['p2p', stack, false],
    ['p2p without Twilio', unbuilt, false],
    ['twilio', twilioStack, true],
  ] as const)(
    'lets the web app reach Twilio only with the twilio video provider (%s)',
    (_name, s, twilio) => {
      const csp = cspOf(s);
      const twilioSources = csp['connect-src']!.filter((source) => source.includes('twilio'));
      expect(twilioSources).toEqual(twilio ? [...TWILIO_VIDEO_CONNECT_SOURCES] : []);
      expect(TWILIO_VIDEO_CONNECT_SOURCES).toEqual(['https://*.twilio.com', 'wss://*.twilio.com']);
      // Twilio's hosts are the only wildcards, and only in connect-src.
      for (const [directive, sources] of Object.entries(csp)) {
        const wild = sources.filter((source) => source.includes('*'));
        expect(wild, directive).toEqual(directive === 'connect-src' ? twilioSources : []);
      }
      expect(csp['media-src']).toEqual(["'self'", 'blob:']);
    },
  );

  it('deploys the site and a never-cached config.json written from the stack', () => {
    const deployments = ofType('Custom::CDKBucketDeployment').map(([, d]) => d.Properties!);
    const site = deployments.find((d) => d.Prune !== false)!;
    const config = deployments.find(
      (d) =>
        d.Prune === false &&
        !d.DestinationBucketKeyPrefix &&
        (d.SystemMetadata as Record<string, string> | undefined)?.['content-type'] === 'application/json',
    )!;
    expect(deployments).toHaveLength(4);
    expect(site.Exclude).toEqual(['config.json', 'practice/*', 'manifest.webmanifest']);
    expect(config.SystemMetadata).toMatchObject({
      'cache-control': 'no-cache',
      'content-type': 'application/json',
    });

    // The config asset as staged: markers stand for the deploy-time ids and URLs.
    const assetDirs = fs.readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    const configs = assetDirs
      .map((dir) => path.join(assembly.directory, dir, 'config.json'))
      .filter((file) => fs.existsSync(file))
      .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as WebConfig);
    expect(configs.length).toBeGreaterThan(0);
    const web = configs.find((c) => c.region === 'eu-central-1')!;
    expect(web).toMatchObject({ stage: 'aws', region: 'eu-central-1', authFlow: 'USER_SRP_AUTH' });
    expect(web.practice).toMatchObject({
      name: 'Riverside Demo Clinic',
      phone: '+12125550123',
      email: 'care@riverside-demo.example.test',
      termsUrl: '/practice/terms.md',
      logoUrl: '/practice/logo.svg',
    });
    // Another practice directory, another identity: no code changes.
    expect(configs.map((c) => c.practice.name)).toContain('Harbour Fixture Health');
    expect(Object.keys(web).sort()).toEqual(
      [
        'apiUrl',
        'authFlow',
        'idleSignOutSeconds',
        'idleWarningSeconds',
        'practice',
        'region',
        'stage',
        'userPoolClientId',
        'userPoolId',
        'wsUrl',
      ].sort(),
    );
    expect(web).toMatchObject({ idleSignOutSeconds: 15 * 60, idleWarningSeconds: 60 });
    expect(web.apiUrl).toMatch(/^https:\/\/.*execute-api\.eu-central-1\..*\/.+[^/]$/);
    expect(web.wsUrl).toMatch(/^wss:\/\//);
  });

  it('without a web build deploys an empty placeholder that prunes nothing', () => {
    const deployments = Template.fromStack(unbuilt).findResources('Custom::CDKBucketDeployment');
    const prunes = Object.values(deployments).map((d) => (d as Resource).Properties?.Prune);
    expect(prunes).toEqual([false, false, false, false]);
  });

  it("serves the practice's logo and legal texts under /practice/, never cached stale", () => {
    const deployment = ofType('Custom::CDKBucketDeployment')
      .map(([, d]) => d.Properties!)
      .find((d) => d.DestinationBucketKeyPrefix === 'practice/')!;
    expect(deployment.SystemMetadata).toMatchObject({ 'cache-control': 'no-cache' });
    expect(deployment.DistributionPaths).toEqual(['/practice/*']);
    // The staged assets: exactly the served files of each practice directory.
    const staged = fs
      .readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((dir) => path.join(assembly.directory, dir))
      .filter((dir) => fs.existsSync(path.join(dir, 'terms.md')));
    const terms = staged.map((dir) => fs.readFileSync(path.join(dir, 'terms.md'), 'utf8'));
    expect(terms.some((text) => text.includes('Riverside Demo Clinic is a fictional practice'))).toBe(true);
    expect(terms.some((text) => text.includes('Harbour fixture terms'))).toBe(true);
    for (const dir of staged)
      expect(fs.readdirSync(dir).sort()).toEqual(['logo.svg', 'privacy.md', 'terms.md']);
  });

  it('serves a web app manifest named after the practice, never cached stale', () => {
    const deployment = ofType('Custom::CDKBucketDeployment')
      .map(([, d]) => d.Properties!)
      .find(
        (d) =>
          (d.SystemMetadata as Record<string, string> | undefined)?.['content-type'] ===
          'application/manifest+json',
      )!;
    expect(deployment.SystemMetadata).toMatchObject({ 'cache-control': 'no-cache' });
    expect(deployment.DistributionPaths).toEqual(['/manifest.webmanifest']);
    const manifests = fs
      .readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((dir) => path.join(assembly.directory, dir, 'manifest.webmanifest'))
      .filter((file) => fs.existsSync(file))
      .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string; icons: unknown[] });
    expect(manifests.map((m) => m.name).sort()).toEqual(['Harbour Fixture Health', 'Riverside Demo Clinic']);
    for (const manifest of manifests) expect(manifest.icons).toHaveLength(3);
  });

  it('names the practice in every function of a stack with another practice', () => {
    const fns = Template.fromStack(unbuilt).findResources('AWS::Lambda::Function');
    const names = Object.values(fns)
      .map(
        (fn) =>
          ((fn as Resource).Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
            ?.Variables?.PRACTICE_NAME,
      )
      .filter(Boolean);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(['Harbour Fixture Health']));
  });
});

describe('Firewall and throttles', () => {
  const webAcls = ofType('AWS::WAFv2::WebACL');
  const apiAclId = stack.getLogicalId(stack.apiFirewall.webAcl);
  const apiAcl = props(apiAclId) as { Scope: string; Rules: Record<string, any>[] };

  it('associates a REGIONAL web ACL with the REST API stage', () => {
    expect(apiAcl.Scope).toBe('REGIONAL');
    const associations = ofType('AWS::WAFv2::WebACLAssociation');
    expect(associations).toHaveLength(1);
    const association = associations[0]![1];
    expect(association.Properties!.WebACLArn).toEqual({ 'Fn::GetAtt': [apiAclId, 'Arn'] });
    const stageArn = association.Properties!.ResourceArn;
    expect(refersTo(stageArn, logicalIdOf(stack.restApi.api))).toBe(true);
    expect(refersTo(stageArn, logicalIdOf(stack.restApi.api.deploymentStage))).toBe(true);
  });

  it('runs the AWS managed common and known-bad-inputs rules before per-IP rate rules', () => {
    const rules = apiAcl.Rules.map((rule) => ({
      name: rule.Name as string,
      managed: rule.Statement.ManagedRuleGroupStatement?.Name as string | undefined,
      limit: rule.Statement.RateBasedStatement?.Limit as number | undefined,
      priority: rule.Priority as number,
    })).sort((a, b) => a.priority - b.priority);
    expect(rules.map((r) => r.managed ?? r.name)).toEqual([
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      ...API_RATE_RULES.map((r) => r.name),
    ]);
    expect(rules.find((r) => r.name === 'PerIp')?.limit).toBeGreaterThan(0);
    // Bodies above WAF's 8 KB inspection limit are the handlers' to judge (64 KB), not blocked.
    const common = apiAcl.Rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet')!;
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
  });

  it('limits sign-ups per IP more tightly, on the path and method of the register route', () => {
    const signUp = apiAcl.Rules.find((r) => r.Name === 'SignUpPerIp')!;
    const perIp = apiAcl.Rules.find((r) => r.Name === 'PerIp')!;
    expect(Object.keys(signUp.Action)).toEqual(['Block']);
    expect(signUp.Statement.RateBasedStatement.Limit).toBeLessThan(perIp.Statement.RateBasedStatement.Limit);
    const matches = signUp.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements.map(
      (st: Record<string, any>) => st.ByteMatchStatement,
    );
    const pathMatch = matches.find((m: Record<string, any>) => m.FieldToMatch.UriPath);
    const methodMatch = matches.find((m: Record<string, any>) => m.FieldToMatch.Method);
    const register = deployedRoutes.find((r) => r.id === 'registerPatient')!;
    expect(pathMatch).toMatchObject({ SearchString: register.path, PositionalConstraint: 'ENDS_WITH' });
    expect(methodMatch).toMatchObject({ SearchString: register.method, PositionalConstraint: 'EXACTLY' });
    // No other deployed path ends like it, so the rule counts sign-ups and nothing else.
    expect(deployedRoutes.filter((r) => r.path.endsWith(register.path)).map((r) => r.id)).toEqual([
      'registerPatient',
    ]);
  });

  it('answers rate-limited requests like API Gateway does: 429, the error JSON, CORS and security headers', () => {
    const acl = props(apiAclId) as Record<string, any>;
    for (const rule of apiAcl.Rules.filter((r) => r.Statement.RateBasedStatement)) {
      const response = rule.Action.Block.CustomResponse;
      expect(response.ResponseCode).toBe(429);
      const body = acl.CustomResponseBodies[response.CustomResponseBodyKey];
      expect(body.ContentType).toBe('APPLICATION_JSON');
      expect(JSON.parse(body.Content)).toEqual({
        error: { code: 'too_many_requests', message: expect.any(String) },
      });
      const headers = Object.fromEntries(
        (response.ResponseHeaders as { Name: string; Value: unknown }[]).map((h) => [h.Name, h.Value]),
      );
      expect(refersTo(headers['Access-Control-Allow-Origin'], logicalIdOf(stack.web.distribution))).toBe(
        true,
      );
      expect(headers['Retry-After']).toMatch(/^\d+$/);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        if (name !== 'Content-Type') expect(headers[name], name).toBe(value);
      }
    }
  });

  it('logs blocked and counted requests only, with the Authorization header redacted', () => {
    const logging = ofType('AWS::WAFv2::LoggingConfiguration').map(([, r]) => r.Properties!);
    expect(logging).toHaveLength(webAcls.length);
    for (const config of logging) {
      expect(config.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }]);
      expect(config.LoggingFilter).toMatchObject({ DefaultBehavior: 'DROP' });
      expect(JSON.stringify(config.LogDestinationConfigs)).toContain('log-group:aws-waf-logs-');
    }
  });

  it('outside us-east-1 without a given web ACL, leaves CloudFront without one and warns at synth', () => {
    expect(webAcls.map(([id]) => id)).toEqual([apiAclId]);
    const distribution = ofType('AWS::CloudFront::Distribution')[0]![1].Properties!;
    expect((distribution.DistributionConfig as Record<string, unknown>).WebACLId).toBeUndefined();
    // Annotations.fromStack would synthesize again; the warning is on the construct already.
    const warnings = stack.web.distribution.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    expect(warnings.map((m) => String(m.data))).toEqual([expect.stringContaining('no WAF web ACL')]);
  });

  it('throttles sign-ups and bookings per route on the stage, keeping logging and metrics', () => {
    const stageProps = props(logicalIdOf(stack.restApi.api.deploymentStage));
    const settings = stageProps.MethodSettings as Record<string, unknown>[];
    for (const [routeId, limits] of Object.entries(ROUTE_THROTTLING)) {
      const route = deployedRoutes.find((r) => r.id === routeId)!;
      expect(settings).toContainEqual({
        // API Gateway's escaping: the leading slash stays, the path's own slashes become ~1.
        ResourcePath: `/${route.path.replace(/\//g, '~1')}`,
        HttpMethod: route.method,
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
        MetricsEnabled: true,
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
      });
      // Tighter than the whole stage.
      const stageWide = settings.find((m) => m.ResourcePath === '/*')!;
      expect(limits.rateLimit).toBeLessThan(stageWide.ThrottlingRateLimit as number);
    }
    expect(Object.keys(ROUTE_THROTTLING).sort()).toEqual(['bookAppointment', 'registerPatient']);
  });
});

describe('Backup', () => {
  it('backs up the table daily and monthly into a vault encrypted with its own key', () => {
    const tableId = logicalIdOf(stack.data.table);
    const selection = ofType('AWS::Backup::BackupSelection')[0]![1].Properties!;
    expect((selection.BackupSelection as { Resources: unknown[] }).Resources).toEqual([
      { 'Fn::GetAtt': [tableId, 'Arn'] },
    ]);
    const vaultId = logicalIdOf(stack.backup.vault);
    expect(props(vaultId).EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack.backup.key), 'Arn'] });
    template.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Retain' });
    const plan = props(logicalIdOf(stack.backup.plan)).BackupPlan as {
      BackupPlanRule: Record<string, any>[];
    };
    expect(
      plan.BackupPlanRule.map((rule) => ({
        name: rule.RuleName,
        schedule: rule.ScheduleExpression,
        days: rule.Lifecycle.DeleteAfterDays,
        vault: rule.TargetBackupVault,
      })),
    ).toEqual([
      {
        name: 'Daily',
        schedule: 'cron(0 5 * * ? *)',
        days: 35,
        vault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      },
      {
        name: 'Monthly',
        schedule: 'cron(0 5 1 * ? *)',
        days: 365,
        vault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      },
    ]);
  });
});

describe('the stack', () => {
  it('has the outputs the operators and the web config need', () => {
    for (const name of [
      'WebUrl',
      'ApiUrl',
      'WsUrl',
      'UserPoolId',
      'UserPoolClientId',
      'TableName',
      'TwilioSecretArn',
    ]) {
      template.hasOutput(name, {});
    }
  });

  it('tags resources as PHI of the telehealth project', () => {
    const table = ofType('AWS::DynamoDB::Table')[0]![1].Properties!;
    expect(table.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'project', Value: 'telehealth' },
        { Key: 'data-classification', Value: 'phi' },
      ]),
    );
  });

  // Per template, as CloudFormation orders them: in the parent the nested stack is one resource, so
  // a parent resource the routes take as a parameter must not itself need one of the routes' outputs.
  it.each([stack, unbuilt].flatMap((s) => [s, ...nestedStacksOf(s)]).map((s) => [s.node.path, s] as const))(
    '%s has no circular references between resources',
    (_name, s: Stack) => {
      const all = Template.fromStack(s).toJSON().Resources as Record<string, Resource>;
      const edges = new Map<string, string[]>();
      for (const [id, r] of Object.entries(all)) {
        const json = JSON.stringify(r.Properties ?? {});
        const refs = [...json.matchAll(/\{"Ref":"([^"]+)"\}|\{"Fn::GetAtt":\["([^"]+)"/g)].map(
          (m) => m[1] ?? m[2]!,
        );
        edges.set(
          id,
          [...refs, ...[r.DependsOn ?? []].flat()].filter((ref) => ref in all),
        );
      }
      const state = new Map<string, 'visiting' | 'done'>();
      const cycles: string[] = [];
      const visit = (id: string, trail: string[]) => {
        if (state.get(id) === 'done') return;
        if (state.get(id) === 'visiting') {
          cycles.push([...trail.slice(trail.indexOf(id)), id].join(' -> '));
          return;
        }
        state.set(id, 'visiting');
        for (const next of edges.get(id) ?? []) visit(next, [...trail, id]);
        state.set(id, 'done');
      };
      for (const id of edges.keys()) visit(id, []);
      expect(cycles).toEqual([]);
    },
  );
});

describe('recordings', () => {
  const view = viewOf(twilioStack);
  const recordings = twilioStack.recordings!;
  const functions = deployedFunctions(twilioStack);

  it('every function knows recording is on, with the bucket URL and Twilio’s credential for it', () => {
    for (const { name, fn } of functions) {
      expect(view.env(fn), name).toMatchObject({
        RECORDING: 'on',
        RECORDING_AWS_CREDENTIALS_SID: RECORDING_CREDENTIAL,
        RECORDING_S3_URL: twilioStack.resolve(recordings.s3Url),
      });
    }
  });

  it('no function may read, write or decrypt recordings: only Twilio writes them', () => {
    const bucketId = view.idOf(recordings.bucket);
    const keyId = view.idOf(recordings.key);
    for (const { name, fn } of functions) {
      const granted = JSON.stringify(view.statements(fn));
      expect(granted, name).not.toContain(`"${bucketId}"`);
      expect(granted, name).not.toContain(`"${keyId}"`);
    }
  });

  it('without the option there is no recordings bucket and recording stays off', () => {
    expect(stack.recordings).toBeUndefined();
    const plain = viewOf(stack);
    for (const { name, fn } of deployedFunctions(stack))
      expect(plain.env(fn).RECORDING, name).toBeUndefined();
  });
});
