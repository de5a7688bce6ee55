import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE, REPO_ROOT } from './project-function';

/**
 * get-me: account wiring only (Cognito + DynamoDB clients), ~425 KB when written; ~570 KB since every
 * function carries Powertools Metrics and Tracer (X-Ray subsegments of the SDK calls, ~125 KB); ~700 KB
 * since the contract's phone schema carries libphonenumber-js with its smallest metadata (~120 KB).
 */
const GET_ME_BUDGET_BYTES = 760 * 1024;
/** join-call: the live wiring (Scheduler, Secrets Manager, @connections) plus Twilio's AccessToken, ~510 KB. */
const JOIN_CALL_BUDGET_BYTES = 900 * 1024;
/** The Twilio webhook: DynamoDB, Secrets Manager and Twilio's webhook module only (~600 KB). */
const WEBHOOK_BUDGET_BYTES = 700 * 1024;

interface Bundle {
  readonly bytes: number;
  readonly inputs: readonly string[];
  readonly file: string;
}

let outdir: string;
const bundles: Record<string, Bundle> = {};

/** The options ProjectFunction hands to NodejsFunction (bundleAwsSDK: nothing external), minus the source map. */
async function bundle(handler: string): Promise<Bundle> {
  const file = path.join(outdir, handler, 'index.mjs');
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, 'functions', 'handlers', `${handler}.ts`)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLE.target,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    minify: true,
    metafile: true,
    write: true,
    logLevel: 'silent',
  });
  return { bytes: fs.statSync(file).size, inputs: Object.keys((result.metafile as Metafile).inputs), file };
}

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-bundle-'));
  const [getMe, joinCall, webhook] = await Promise.all([
    bundle('get-me'),
    bundle('join-call'),
    bundle('twilio-messaging-webhook'),
  ]);
  bundles['get-me'] = getMe;
  bundles['join-call'] = joinCall;
  bundles['twilio-messaging-webhook'] = webhook;
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const has = (b: Bundle, fragment: string) => b.inputs.some((input) => input.includes(fragment));

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
function coldStart(b: Bundle, env: Record<string, string>) {
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

function callUnauthenticated(b: Bundle, method: string, resourcePath: string) {
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
  it(`stays under ${GET_ME_BUDGET_BYTES / 1024} KB`, () => {
    const b = bundles['get-me']!;
    expect(b.bytes).toBeGreaterThan(0);
    expect(b.bytes).toBeLessThan(GET_ME_BUDGET_BYTES);
  });

  it('carries the SDK clients it uses, and only those of the account wiring', () => {
    const b = bundles['get-me']!;
    expect(has(b, '@aws-sdk/client-dynamodb/')).toBe(true);
    expect(has(b, '@aws-sdk/client-cognito-identity-provider/')).toBe(true);
    for (const unused of [
      '@aws-sdk/client-apigatewaymanagementapi/',
      '@aws-sdk/client-scheduler/',
      '@aws-sdk/client-secrets-manager/',
      'node_modules/twilio/',
    ]) {
      expect(has(b, unused), unused).toBe(false);
    }
  });

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
  it(`stays under ${JOIN_CALL_BUDGET_BYTES / 1024} KB`, () => {
    const b = bundles['join-call']!;
    expect(b.bytes).toBeGreaterThan(0);
    expect(b.bytes).toBeLessThan(JOIN_CALL_BUDGET_BYTES);
  });

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
  it(`stays under ${WEBHOOK_BUDGET_BYTES / 1024} KB`, () => {
    const b = bundles['twilio-messaging-webhook']!;
    expect(b.bytes).toBeGreaterThan(0);
    expect(b.bytes).toBeLessThan(WEBHOOK_BUDGET_BYTES);
  });

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
