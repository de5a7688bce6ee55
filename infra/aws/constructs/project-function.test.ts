import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandlerBundle, deployedHandlers, type LambdaBundle } from '../lambda-bundle';

/**
 * Every deployed function's bundle (KB, minified, as ProjectFunction builds it) and the optional
 * modules it may hold: each route bundles only the adapters it uses (functions/adapters/wiring/).
 * Import time follows bundle size, so a size budget is the deterministic stand-in for the
 * cold-start figure `npm run bench` measures (tests/bench/cold-start.ts). Sizes when set:
 * get-me 542, list-doctors 557, ws-signal 569, join-call 627, book-appointment 623 (~110 KB of
 * each is Powertools Tracer's X-Ray SDK, ~330 KB the DynamoDB client).
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
  health: [600, ['secrets']],
  // register-patient and update-me normalise phone numbers: libphonenumber-js with its smallest
  // metadata (~120 KB; shared/phone.ts). Every other route checks only the shape (shared/phone-input.ts).
  'register-patient': [740, ['cognito']],
  'get-me': [580, []],
  'create-doctor': [620, ['cognito']],
  'update-me': [700, []],
  'send-phone-code': [600, ['secrets']],
  'verify-phone': [600, ['secrets']],
  'sign-out-everywhere': [600, ['connections']],
  'export-my-data': [600, []],
  'delete-my-account': [700, ['cognito', ...APPOINTMENT_CHANGE]],
  'list-doctors': [600, []],
  'list-open-slots': [600, []],
  'get-availability': [600, []],
  'put-availability': [600, []],
  'book-appointment': [660, APPOINTMENT_CHANGE],
  'list-appointments': [600, []],
  'get-appointment': [600, []],
  'cancel-appointment': [660, APPOINTMENT_CHANGE],
  'reschedule-appointment': [660, APPOINTMENT_CHANGE],
  'complete-appointment': [620, ['connections']],
  'mark-no-show': [620, ['connections']],
  'get-visit-notes': [600, []],
  'put-visit-notes': [600, []],
  'list-patients': [600, []],
  'get-patient': [600, []],
  'list-patient-visits': [600, []],
  'check-in': [620, LIVE],
  'waiting-room': [620, LIVE],
  'resend-visit-link': [660, APPOINTMENT_CHANGE],
  'list-rescues': [600, []],
  'visit-rates': [600, []],
  'admit-patient': [620, LIVE],
  'running-late': [620, LIVE],
  'join-call': [670, VIDEO],
  'end-visit': [670, VIDEO],
  'recording-consent': [670, VIDEO],
  'list-messages': [620, LIVE],
  // Guest seats and visit passes (core/guests.ts): the table; invite-guest queues its text and alone
  // normalises the guest's phone number (libphonenumber-js, like register-patient).
  'invite-guest': [760, ['sqs']],
  'get-guest': [600, []],
  'remove-guest': [600, []],
  'consent-to-guest': [600, []],
  'admit-guest': [600, []],
  'redeem-visit-pass': [620, ['connections']],
  'get-pass-visit': [600, []],
  'pass-check-in': [620, LIVE],
  'get-guest-visit': [600, []],
  'guest-check-in': [600, []],
  'guest-join-call': [670, ['videoToken', 'secrets']],
  'leave-visit-feedback': [600, []],
  'send-call-quality': [600, []],
  'visit-quality-report': [600, []],
  'read-audit-trail': [590, []],
  'export-audit-trail': [590, []],
  'twilio-messaging-webhook': [610, ['secrets', 'twilioWebhook']],
  'ws-connect': [570, LIVE],
  'ws-disconnect': [590, LIVE],
  'ws-default': [590, LIVE],
  'ws-call-join': [610, LIVE],
  'ws-call-leave': [610, LIVE],
  'ws-signal': [610, LIVE],
  'ws-media': [610, LIVE],
  'ws-chat-send': [610, LIVE],
  'ws-chat-read': [610, LIVE],
  'ws-waiting-presence': [610, LIVE],
  // Answered by its route response: no table, no @connections client.
  'ws-ping': [300, []],
  'ws-authorizer': [560, ['jwtVerify']],
  'send-reminder': [590, ['sqs']],
  // Pushes a texted visit link to the doctor's queue (no-show rescue).
  'send-text': [620, ['secrets', 'connections']],
  'post-confirmation': [580, ['cognito']],
  // Records the last password sign-in on the profile (the admin's doctors list): the table client too.
  'pre-token-generation': [600, ['cognito']],
  // The admin's doctor accounts share one composition (wiring/doctor-accounts.ts): rare, admin-only
  // calls where one area is simpler than four lean ones.
  'list-doctor-accounts': [700, ['cognito', 'connections']],
  'deactivate-doctor': [700, ['cognito', 'connections']],
  'reactivate-doctor': [700, ['cognito', 'connections']],
  'resend-invitation': [700, ['cognito', 'connections']],
  'fhir-patient': [620, []],
  'fhir-patient-everything': [620, []],
  'fhir-encounter': [620, []],
  'fhir-encounter-everything': [620, []],
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
});
