import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { httpRouteList, wsRouteList } from '../../functions/routes';
import { TABLE } from '../../functions/adapters/dynamo/table';
import type { WebConfig } from '../../shared/api';
import { PASSWORD_POLICY } from '../../shared/policy';
import { ROLES } from '../../shared/roles';
import { ProjectFunction } from './constructs/project-function';
import { TelehealthStack } from './telehealth-stack';

type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[] };
type Statement = { Effect: string; Principal?: unknown; Action?: unknown; Condition?: unknown };

// One synthesis for the whole file. Bundling is skipped (placeholder Lambda assets): the real esbuild
// bundle is covered by project-function.test.ts.
const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-site-'));
fs.writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><title>t</title>');
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new TelehealthStack(app, 'Telehealth', {
  env: { account: '111111111111', region: 'eu-central-1' },
  webDistDir: siteDir,
});
// The same app before `npm run build:web`: no web/dist.
const unbuilt = new TelehealthStack(app, 'TelehealthUnbuilt', {
  webDistDir: path.join(siteDir, 'does-not-exist'),
});
const assembly = app.synth();
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Resource>;
afterAll(() => {
  fs.rmSync(siteDir, { recursive: true, force: true });
  fs.rmSync(assembly.directory, { recursive: true, force: true });
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const props = (logicalId: string) => resources[logicalId]?.Properties ?? {};
/** The logical id of an L2 construct's CloudFormation resource. */
const logicalIdOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const refersTo = (value: unknown, logicalId: string) => {
  const json = JSON.stringify(value);
  return json.includes(`{"Ref":"${logicalId}"}`) || json.includes(`{"Fn::GetAtt":["${logicalId}",`);
};

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

describe('REST API', () => {
  const methods = ofType('AWS::ApiGateway::Method');

  it.each(httpRouteList.map((route) => [route.id, route] as const))(
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

  it('has no methods beyond the routes table and CORS preflights', () => {
    const nonOptions = methods.filter(([, m]) => m.Properties?.HttpMethod !== 'OPTIONS');
    expect(nonOptions).toHaveLength(httpRouteList.length);
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

  it('grants Cognito admin calls only to the account-creating routes, and the table to every route', () => {
    for (const route of httpRouteList) {
      const actions = actionsOf(roleStatements(stack.restApi.functions[route.id]!));
      expect(actions, route.id).toContain('dynamodb:PutItem');
      const createsUsers = route.id === 'registerPatient' || route.id === 'createDoctor';
      expect(actions.includes('cognito-idp:AdminCreateUser'), route.id).toBe(createsUsers);
    }
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
  const allFunctions = ofType('AWS::Lambda::Function');

  it('exist once per REST route, WebSocket route and the authorizer', () => {
    expect(projectFunctions).toHaveLength(httpRouteList.length + wsRouteList.length + 1);
  });

  it('all run Node.js 24 on arm64 with tracing, source maps and the common environment', () => {
    for (const id of projectIds) {
      const p = props(id);
      expect(p.Runtime, id).toBe('nodejs24.x');
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(p.MemorySize, id).toBe(512);
      expect(p.Timeout, id).toBe(10);
      expect(p.LoggingConfig, id).toMatchObject({ LogGroup: expect.anything() });
      const env = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.NODE_OPTIONS, id).toBe('--enable-source-maps');
      for (const name of ['TABLE_NAME', 'USER_POOL_ID', 'USER_POOL_CLIENT_ID', 'ALLOWED_ORIGINS']) {
        expect(env[name], `${id} ${name}`).toBeDefined();
      }
      expect(env.POWERTOOLS_SERVICE_NAME).toBe('telehealth');
      expect(refersTo(env.ALLOWED_ORIGINS, logicalIdOf(stack.web.distribution))).toBe(true);
    }
  });

  it('other functions are only the CDK bucket deployment handler', () => {
    const others = allFunctions.filter(([id]) => !projectIds.has(id)).map(([id]) => id);
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

  it('have log groups with a retention', () => {
    for (const id of projectIds) {
      const logGroupId = (props(id).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(props(logGroupId).RetentionInDays, id).toBeGreaterThan(0);
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

describe('Auth', () => {
  it('lets only admins (our handlers) create users, with email as username and the shared password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
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

  it('has one group per role', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a public web client allowing SRP and USER_PASSWORD_AUTH, without OAuth', () => {
    const client = ofType('AWS::Cognito::UserPoolClient')[0]![1].Properties!;
    expect(client.GenerateSecret).toBe(false);
    expect([...(client.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(client.EnableTokenRevocation).toBe(true);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
    expect(client.AllowedOAuthFlows).toBeUndefined();
    expect(client.WriteAttributes).not.toContain('email');
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
    const csp = security.ContentSecurityPolicy.ContentSecurityPolicy;
    const text = JSON.stringify(csp);
    expect(text).toContain("default-src 'self'");
    expect(text).toContain("frame-ancestors 'none'");
    expect(text).toContain('https://cognito-idp.eu-central-1.amazonaws.com');
    expect(refersTo(csp, logicalIdOf(stack.restApi.api))).toBe(true);
    expect(refersTo(csp, logicalIdOf(stack.realtime.api))).toBe(true);
    expect(text).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('deploys the site and a never-cached config.json written from the stack', () => {
    const deployments = ofType('Custom::CDKBucketDeployment').map(([, d]) => d.Properties!);
    const site = deployments.find((d) => d.Prune !== false)!;
    const config = deployments.find((d) => d.Prune === false)!;
    expect(deployments).toHaveLength(2);
    expect(site.Exclude).toEqual(['config.json']);
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
    expect(Object.keys(web).sort()).toEqual(
      ['apiUrl', 'authFlow', 'region', 'stage', 'userPoolClientId', 'userPoolId', 'wsUrl'].sort(),
    );
    expect(web.apiUrl).toMatch(/^https:\/\/.*execute-api\.eu-central-1\..*\/.+[^/]$/);
    expect(web.wsUrl).toMatch(/^wss:\/\//);
  });

  it('without a web build deploys an empty placeholder that prunes nothing', () => {
    const deployments = Template.fromStack(unbuilt).findResources('Custom::CDKBucketDeployment');
    const prunes = Object.values(deployments).map((d) => (d as Resource).Properties?.Prune);
    expect(prunes).toEqual([false, false]);
  });
});

describe('the stack', () => {
  it('has the outputs the operators and the web config need', () => {
    for (const name of ['WebUrl', 'ApiUrl', 'WsUrl', 'UserPoolId', 'UserPoolClientId', 'TableName']) {
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

  it.each([
    ['Telehealth', stack],
    ['TelehealthUnbuilt', unbuilt],
  ])('%s has no circular references between resources', (_name, s: Stack) => {
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
  });
});
