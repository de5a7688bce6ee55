import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE, REPO_ROOT } from './project-function';

/** Deterministic budget for the get-me bundle, AWS SDK clients included (~420 KB when written). */
const GET_ME_BUDGET_BYTES = 600 * 1024;

// The options ProjectFunction hands to NodejsFunction (bundleAwsSDK: nothing external), through the
// esbuild JS API: what ships, minus the source map.
let bundle: Uint8Array;
let metafile: Metafile;
let outfile: string;
let outdir: string;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-bundle-'));
  outfile = path.join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, 'functions', 'handlers', 'get-me.ts')],
    outfile,
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
  bundle = fs.readFileSync(outfile);
  metafile = result.metafile;
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('the get-me Lambda bundle', () => {
  it(`stays under ${GET_ME_BUDGET_BYTES / 1024} KB`, () => {
    expect(bundle.byteLength).toBeGreaterThan(0);
    expect(bundle.byteLength).toBeLessThan(GET_ME_BUDGET_BYTES);
  });

  it('carries the SDK clients it uses instead of relying on the runtime copy', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.includes('@aws-sdk/client-dynamodb/'))).toBe(true);
    expect(inputs.some((input) => input.includes('@aws-sdk/client-cognito-identity-provider/'))).toBe(true);
    // The handler needs neither the WebSocket management client nor the local-only JWT machinery of tests.
    expect(inputs.some((input) => input.includes('@aws-sdk/client-apigatewaymanagementapi/'))).toBe(false);
  });

  it('loads as an ES module under plain Node and answers an unauthenticated call with 401', () => {
    // A separate Node process: the real ESM loader, as in Lambda, and no test-runner transforms.
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)});
      const result = await handler(
        { httpMethod: 'GET', path: '/me', headers: { Origin: 'https://app.example' }, requestContext: { requestId: 'r-1' } },
        { awsRequestId: 'a-1', functionName: 'get-me', getRemainingTimeInMillis: () => 5000 },
      );
      process.stdout.write('\\nRESULT' + JSON.stringify(result));
    `;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        TABLE_NAME: 'bundle-test',
        USER_POOL_ID: 'eu-central-1_bundle',
        USER_POOL_CLIENT_ID: 'bundle-client',
        AWS_REGION: 'eu-central-1',
        ALLOWED_ORIGINS: 'https://app.example',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
      encoding: 'utf8',
      // stderr is kept from the test output (the SDK warns about Node 20 there).
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT'));
    expect(line, stdout).toBeDefined();
    const result = JSON.parse(line!.slice('RESULT'.length)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'unauthorized' } });
    expect(result.headers['Access-Control-Allow-Origin']).toBe('https://app.example');
  });
});
