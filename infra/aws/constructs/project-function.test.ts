import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandlerBundle, deployedHandlers, type LambdaBundle } from '../lambda-bundle';
import { ProjectFunction } from './project-function';

/**
 * Every deployed function's bundle (KB, minified, as ProjectFunction builds it) and the optional
 * modules it may hold: each route bundles only the adapters it uses (functions/adapters/wiring/).
 * Import time follows bundle size, so a size budget is the deterministic stand-in for the
 * cold-start figure `npm run bench` measures (tests/bench/cold-start.ts). Each budget is the size
 * reached plus ~15 KB: get-me 296, list-doctors 316, ws-signal 341, join-call 427,
 * book-appointment 394 (~200 KB of each is the DynamoDB client, with env-only credentials and no
 * X-Ray SDK: docs/adr/0018-cold-start.md).
 */
const OPTIONAL = {
  /** Twilio's AccessToken (with jsonwebtoken): only routes that mint video tokens. */
  videoToken: 'node_modules/twilio/lib/jwt/',
  twilioWebhook: 'node_modules/twilio/lib/webhooks/',
  cognito: '@aws-sdk/client-cognito-identity-provider/',
  scheduler: '@aws-sdk/client-scheduler/',
  sqs: '@aws-sdk/client-sqs/',
  secrets: '@aws-sdk/client-secrets-manager/',
  connections: '@aws-sdk/client-apigatewaymanagementapi/',
  jwtVerify: 'node_modules/aws-jwt-verify/',
} as const;
type Optional = keyof typeof OPTIONAL;

const APPOINTMENT_CHANGE: Optional[] = ['scheduler', 'sqs', 'connections'];
const LIVE: Optional[] = ['connections'];
const VIDEO: Optional[] = ['videoToken', 'secrets', 'connections'];

/** handler → [budget in KB, optional modules it holds]; every other optional module is absent. */
const BUDGETS: Record<string, readonly [number, readonly Optional[]]> = {
  health: [325, ['secrets']],
  // register-patient and update-me normalise phone numbers: libphonenumber-js with its smallest
  // metadata (~120 KB; shared/phone.ts). Every other route checks only the shape (shared/phone-input.ts).
  'register-patient': [470, ['cognito']],
  'get-me': [315, []],
  'create-doctor': [350, ['cognito']],
  'update-me': [435, []],
  'send-phone-code': [335, ['secrets']],
  'verify-phone': [335, ['secrets']],
  'sign-out-everywhere': [340, ['connections']],
  'export-my-data': [330, []],
  'delete-my-account': [450, ['cognito', ...APPOINTMENT_CHANGE]],
  'list-doctors': [335, []],
  'list-open-slots': [335, []],
  'get-availability': [330, []],
  'put-availability': [330, []],
  'book-appointment': [412, APPOINTMENT_CHANGE],
  'list-appointments': [330, []],
  'get-appointment': [330, []],
  'cancel-appointment': [412, APPOINTMENT_CHANGE],
  'reschedule-appointment': [412, APPOINTMENT_CHANGE],
  'complete-appointment': [365, ['connections']],
  'mark-no-show': [365, ['connections']],
  'get-visit-notes': [330, []],
  'put-visit-notes': [330, []],
  'list-patients': [330, []],
  'get-patient': [330, []],
  'list-patient-visits': [330, []],
  // check-in records the rescue's check-in step (core/rescue.ts), like pass-check-in.
  'check-in': [370, LIVE],
  'waiting-room': [362, LIVE],
  'resend-visit-link': [410, APPOINTMENT_CHANGE],
  'list-rescues': [350, []],
  'visit-rates': [350, []],
  'admit-patient': [367, LIVE],
  'running-late': [360, LIVE],
  'join-call': [445, VIDEO],
  'end-visit': [450, VIDEO],
  'recording-consent': [445, VIDEO],
  'list-messages': [360, LIVE],
  // Guest seats and visit passes (core/guests.ts): the table; invite-guest queues its text and alone
  // normalises the guest's phone number (libphonenumber-js, like register-patient).
  'invite-guest': [540, ['sqs', 'connections']],
  'get-guest': [390, LIVE],
  'remove-guest': [390, LIVE],
  'consent-to-guest': [390, LIVE],
  'admit-guest': [390, LIVE],
  'redeem-visit-pass': [390, LIVE],
  'get-pass-visit': [350, []],
  'pass-check-in': [370, LIVE],
  // The rescued patient's join (no-show rescue): as join-call.
  'pass-join-call': [445, VIDEO],
  'get-guest-visit': [390, LIVE],
  'guest-check-in': [390, LIVE],
  // The call of three (guest seats in calls): as join-call.
  'guest-join-call': [445, VIDEO],
  'leave-visit-feedback': [325, []],
  'send-call-quality': [325, []],
  'visit-quality-report': [325, []],
  'read-audit-trail': [330, []],
  'export-audit-trail': [330, []],
  'twilio-messaging-webhook': [340, ['secrets', 'twilioWebhook']],
  'ws-connect': [300, LIVE],
  'ws-disconnect': [330, LIVE],
  'ws-default': [310, LIVE],
  'ws-call-join': [340, LIVE],
  'ws-call-leave': [340, LIVE],
  'ws-signal': [340, LIVE],
  'ws-media': [340, LIVE],
  'ws-chat-send': [340, LIVE],
  'ws-chat-read': [340, LIVE],
  'ws-waiting-presence': [340, LIVE],
  // Answered by its route response: no table, no @connections client.
  'ws-ping': [75, []],
  'ws-authorizer': [285, ['jwtVerify']],
  // Also starts the no-show rescue at visit start (mints the texted visit link).
  'send-reminder': [325, ['sqs']],
  // Pushes a texted visit link to the doctor's queue (no-show rescue).
  'send-text': [345, ['secrets', 'connections']],
  'post-confirmation': [300, ['cognito']],
  // Records the last password sign-in on the profile (the admin's doctors list): the table client too.
  'pre-token-generation': [305, ['cognito']],
  // The admin's doctor accounts share one composition (wiring/doctor-accounts.ts): rare, admin-only
  // calls where one area is simpler than four lean ones.
  'list-doctor-accounts': [390, ['cognito', 'connections']],
  'deactivate-doctor': [390, ['cognito', 'connections']],
  'reactivate-doctor': [390, ['cognito', 'connections']],
  'resend-invitation': [390, ['cognito', 'connections']],
  'fhir-patient': [325, []],
  'fhir-patient-everything': [330, []],
  'fhir-encounter': [325, []],
  'fhir-encounter-everything': [330, []],
};

let outdir: string;
const bundles: Record<string, LambdaBundle> = {};
const deployed = deployedHandlers();

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-bundle-'));
  for (const { handler } of deployed) bundles[handler] = await buildHandlerBundle(handler, outdir);
}, 300_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const has = (b: LambdaBundle, fragment: string) => b.inputs.some((input) => input.includes(fragment));

/** Loads the bundle in a separate Node process (the real ESM loader, as in Lambda) and calls it without a token. */
/** What every function gets (the stack's base environment with the provider selectors). */
const BASE_ENV = {
  SMS_PROVIDER: 'outbox',
  REMINDER_SCHEDULER: 'local',
  VIDEO_PROVIDER: 'p2p',
  PRACTICE_NAME: 'Riverside Demo Clinic',
  TABLE_NAME: 'bundle-test',
  USER_POOL_ID: 'eu-central-1_bundle',
  USER_POOL_CLIENT_ID: 'bundle-client',
  AWS_REGION: 'eu-central-1',
  ALLOWED_ORIGINS: 'https://app.example',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** Imports the bundle as the Lambda runtime does (AWS_LAMBDA_FUNCTION_NAME set); says how loading ended. */
function coldStart(b: LambdaBundle, env: Record<string, string>) {
  const script = `
    try {
      await import(${JSON.stringify(pathToFileURL(b.file).href)});
      process.stdout.write('\\nRESULT' + JSON.stringify({ loaded: true }));
    } catch (err) {
      process.stdout.write('\\nRESULT' + JSON.stringify({ loaded: false, name: err.name, message: err.message }));
    }
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_LAMBDA_FUNCTION_NAME: 'bundle-test', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT'));
  expect(line, stdout).toBeDefined();
  return JSON.parse(line!.slice('RESULT'.length)) as { loaded: boolean; name?: string; message?: string };
}

function callUnauthenticated(b: LambdaBundle, method: string, resourcePath: string) {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(b.file).href)});
    const result = await handler(
      { httpMethod: ${JSON.stringify(method)}, path: ${JSON.stringify(resourcePath)}, headers: { Origin: 'https://app.example' }, requestContext: { requestId: 'r-1' } },
      { awsRequestId: 'a-1', functionName: 'bundle-test', getRemainingTimeInMillis: () => 5000 },
    );
    process.stdout.write('\\nRESULT' + JSON.stringify(result));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    // What every function gets (the stack's base environment with the provider selectors); no
    // Twilio secret, scheduler or @connections settings, which are read lazily on first use.
    // Not on Lambda (no AWS_LAMBDA_FUNCTION_NAME): the handler composes on its first call.
    env: { PATH: process.env.PATH, ...BASE_ENV },
    encoding: 'utf8',
    // stderr is kept from the test output (the SDK warns about Node 20 there).
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT'));
  expect(line, stdout).toBeDefined();
  return JSON.parse(line!.slice('RESULT'.length)) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
}

describe('the get-me Lambda bundle', () => {
  it('loads as an ES module under plain Node and answers an unauthenticated call with 401', () => {
    const result = callUnauthenticated(bundles['get-me']!, 'GET', '/me');
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'unauthorized' } });
    expect(result.headers['Access-Control-Allow-Origin']).toBe('https://app.example');
  });

  it('composes at cold start on Lambda, and a missing setting fails it naming the variable', () => {
    expect(coldStart(bundles['get-me']!, BASE_ENV)).toEqual({ loaded: true });
    const { TABLE_NAME: _omitted, ...withoutTable } = BASE_ENV;
    expect(coldStart(bundles['get-me']!, withoutTable)).toMatchObject({
      loaded: false,
      name: 'ConfigurationError',
      message: expect.stringContaining('TABLE_NAME is required'),
    });
  });
});

describe('the join-call Lambda bundle', () => {
  it("takes Twilio's AccessToken, never the full Twilio REST client", () => {
    const b = bundles['join-call']!;
    expect(has(b, 'node_modules/twilio/lib/jwt/AccessToken')).toBe(true);
    expect(has(b, 'node_modules/twilio/lib/rest/')).toBe(false);
    // The package entry point pulls in the REST client and every API version with it.
    expect(has(b, 'node_modules/twilio/lib/index.js')).toBe(false);
  });

  it('loads as an ES module under plain Node (CommonJS Twilio code included) and answers 401', () => {
    const result = callUnauthenticated(bundles['join-call']!, 'POST', '/appointments/a-1/call');
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('the Twilio webhook bundle', () => {
  it("takes Twilio's webhook module only, never the REST client", () => {
    const b = bundles['twilio-messaging-webhook']!;
    expect(has(b, 'node_modules/twilio/lib/webhooks/webhooks')).toBe(true);
    expect(has(b, 'node_modules/twilio/lib/rest/')).toBe(false);
    expect(has(b, 'node_modules/twilio/lib/index.js')).toBe(false);
  });

  it('fails its cold start without PUBLIC_API_URL (the URL Twilio signs), naming it', () => {
    const b = bundles['twilio-messaging-webhook']!;
    const env = { ...BASE_ENV, SMS_PROVIDER: 'twilio', TWILIO_SECRET_ARN: 'arn:aws:secretsmanager:x' };
    expect(coldStart(b, { ...env, PUBLIC_API_URL: 'https://api.example/v1' })).toEqual({ loaded: true });
    expect(coldStart(b, env)).toMatchObject({
      loaded: false,
      name: 'ConfigurationError',
      message: expect.stringContaining('PUBLIC_API_URL'),
    });
  });
});

/**
 * Calls the health bundle (public: one DynamoDB GetItem) in a separate Node process whose DynamoDB
 * endpoint is a loopback server answering `{}`; returns the health answer and the headers of
 * every request the server received.
 */
async function healthAgainstLoopback(env: Record<string, string>) {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    req.resume().on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundles.health!.file).href)});
    const result = await handler(
      { httpMethod: 'GET', path: '/health', headers: {}, requestContext: { requestId: 'r-1' } },
      { awsRequestId: 'a-1', functionName: 'bundle-test', getRemainingTimeInMillis: () => 5000 },
    );
    process.stdout.write('\\nRESULT' + result.body);
  `;
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        {
          env: {
            PATH: process.env.PATH,
            ...BASE_ENV,
            AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            AWS_MAX_ATTEMPTS: '1',
            ...env,
          },
          encoding: 'utf8',
          timeout: 30_000,
        },
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT'));
    expect(line, stdout).toBeDefined();
    return { body: JSON.parse(line!.slice('RESULT'.length)) as { status: string }, received };
  } finally {
    server.close();
  }
}

describe("the SDK's credentials in a Lambda bundle (docs/adr/0018-cold-start.md)", () => {
  it("are the environment's: requests are signed with the role's keys and session token", async () => {
    const { body, received } = await healthAgainstLoopback({
      AWS_ACCESS_KEY_ID: 'AKIDENVIRONMENT',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_SESSION_TOKEN: 'env-session-token',
    });
    expect(body.status).toBe('ok');
    expect(received).toHaveLength(1);
    expect(received[0]!['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(received[0]!.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDENVIRONMENT\/\d{8}\/eu-central-1\/dynamodb\/aws4_request, SignedHeaders=.*x-amz-security-token.*, Signature=[0-9a-f]{64}$/,
    );
    expect(received[0]!['x-amz-security-token']).toBe('env-session-token');
  });

  it('never come from elsewhere: with a credentials file but no keys in the environment, nothing is sent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-credentials-'));
    try {
      const file = path.join(dir, 'credentials');
      fs.writeFileSync(
        file,
        '[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n',
      );
      const { body, received } = await healthAgainstLoopback({
        AWS_SHARED_CREDENTIALS_FILE: file,
        AWS_CONFIG_FILE: path.join(dir, 'config'),
      });
      // The default chain would have signed with AKIDFROMFILE; the environment step alone finds nothing.
      expect(body.status).toBe('unavailable');
      expect(received).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the asset ProjectFunction builds (CDK running esbuild)', () => {
  it("takes the environment's credentials only, as the bundles tested here", () => {
    const app = new App({ outdir: path.join(outdir, 'cdk.out') });
    new ProjectFunction(new Stack(app, 'Bundled'), 'GetMe', { handler: 'get-me' });
    const assembly = app.synth();
    const [asset] = fs.readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    const code = fs.readFileSync(path.join(assembly.directory, asset!, 'index.mjs'), 'utf8');
    // The providers' debug messages survive minification.
    expect(code).toContain('@aws-sdk/credential-provider-env - fromEnv');
    expect(code).not.toContain('@aws-sdk/credential-provider-node - defaultProvider');
    expect(code).not.toContain('@aws-sdk/credential-provider-ini - fromIni');
    expect(fs.existsSync(path.join(assembly.directory, asset!, 'index.mjs.map'))).toBe(true);
  }, 120_000);
});

describe('every deployed function bundles only what its route uses', () => {
  it('has a budget for every deployed function, and none for a function not deployed', () => {
    expect(Object.keys(BUDGETS).sort()).toEqual(deployed.map((f) => f.handler).sort());
  });

  it.each(deployed.map((f) => f.handler))('%s stays within its size budget', (handler) => {
    const [kb] = BUDGETS[handler]!;
    expect(bundles[handler]!.bytes).toBeGreaterThan(0);
    expect(bundles[handler]!.bytes / 1024).toBeLessThan(kb);
  });

  it.each(deployed.map((f) => f.handler))('%s holds exactly its optional modules', (handler) => {
    const [, allowed] = BUDGETS[handler]!;
    const held = (Object.keys(OPTIONAL) as Optional[]).filter((name) =>
      has(bundles[handler]!, OPTIONAL[name]),
    );
    expect(held.sort()).toEqual([...allowed].sort());
  });

  it.each(deployed.map((f) => f.handler))(
    '%s holds the DynamoDB client, never the Twilio REST client',
    (handler) => {
      const b = bundles[handler]!;
      if (handler !== 'ws-ping') expect(has(b, '@aws-sdk/client-dynamodb/')).toBe(true);
      expect(has(b, 'node_modules/twilio/lib/rest/')).toBe(false);
      expect(has(b, 'node_modules/twilio/lib/index.js')).toBe(false);
    },
  );

  it.each(deployed.map((f) => f.handler))(
    '%s holds the REST contract only if a REST route invokes it',
    (handler) => {
      // Every schema of the API is built at import (~7 ms): WebSocket routes, jobs and triggers
      // read theirs from functions/ws-routes.ts and shared modules instead (docs/adr/0018).
      const kind = deployed.find((f) => f.handler === handler)!.kind;
      expect(has(bundles[handler]!, 'shared/contract.ts')).toBe(kind === 'http');
    },
  );

  it.each(deployed.map((f) => f.handler))(
    "%s holds neither the SDK's default credential chain nor the X-Ray SDK",
    (handler) => {
      const b = bundles[handler]!;
      // The chain's providers and the STS/SSO clients behind them (docs/adr/0018-cold-start.md).
      for (const chain of [
        'credential-provider-node/',
        'credential-provider-ini/',
        '@aws-sdk/nested-clients/',
      ]) {
        expect(has(b, chain), chain).toBe(false);
      }
      expect(has(b, 'aws-xray-sdk-core/')).toBe(false);
      expect(has(b, '@aws-lambda-powertools/tracer/')).toBe(false);
      if (handler !== 'ws-ping') expect(has(b, 'functions/adapters/lambda-credentials.ts')).toBe(true);
    },
  );
});
