/**
 * Lambda cold starts: every deployed function's bundle, built as ProjectFunction builds it, is
 * imported in a fresh Node process as the Lambda runtime imports it (AWS_LAMBDA_FUNCTION_NAME set,
 * so the handler composes at once; no `--enable-source-maps`, as deployed), timed inside that
 * process. The reference is a conventional handler (tests/bench/cold-start-reference.ts: DynamoDB
 * DocumentClient, middy, Powertools logger, zod) bundled the same way, except that it keeps the SDK's
 * default credential chain as a conventional handler does (our bundles alias it to the environment
 * step: docs/adr/0018-cold-start.md). Rounds interleave every
 * function with the reference in a shuffled order; medians are reported (and written to
 * BENCHMARKS.md), never asserted — the deterministic budgets are in project-function.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildHandlerBundle,
  buildLambdaBundle,
  deployedHandlers,
  type LambdaBundle,
} from '../../infra/aws/lambda-bundle';

const ROUNDS = Number(process.env.BENCH_COLD_START_ROUNDS ?? 15);
const TARGET = 0.6;
const REFERENCE = 'reference';
/** Floors measured in the same rounds: what any function costs, and any function that uses the table. */
const FLOORS = [
  { name: 'floor:empty', entry: 'tests/bench/cold-start-empty.ts', label: 'a handler that imports nothing' },
  {
    name: 'floor:dynamodb',
    entry: 'tests/bench/cold-start-floor.ts',
    label: 'the DynamoDB DocumentClient alone, bundled as ours are',
  },
] as const;
const root = resolve(import.meta.dirname, '../..');

/** The stack's base environment with the provider selectors (no Twilio, scheduler or queue settings). */
const ENV = {
  PATH: process.env.PATH ?? '',
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  SMS_PROVIDER: 'outbox',
  REMINDER_SCHEDULER: 'local',
  VIDEO_PROVIDER: 'p2p',
  TABLE_NAME: 'bench',
  PRACTICE_NAME: 'Riverside Demo Clinic',
  USER_POOL_ID: 'eu-central-1_bench',
  USER_POOL_CLIENT_ID: 'bench-client',
  ALLOWED_ORIGINS: 'https://app.example',
  PUBLIC_API_URL: 'https://api.example/v1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** Milliseconds from `import()` to its settled promise, measured inside a fresh process. */
function importTime(bundle: LambdaBundle): number {
  const script = `
    const t0 = performance.now();
    await import(${JSON.stringify(pathToFileURL(bundle.file).href)});
    process.stdout.write('\\nIMPORT_MS' + (performance.now() - t0));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('IMPORT_MS'));
  if (!line) throw new Error(`${bundle.file} did not load: ${stdout}`);
  return Number(line.slice('IMPORT_MS'.length));
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const outdir = mkdtempSync(join(tmpdir(), 'telehealth-cold-start-'));
const functions = deployedHandlers();
const bundles = new Map<string, LambdaBundle>();
try {
  bundles.set(
    REFERENCE,
    await buildLambdaBundle(
      join(root, 'tests/bench/cold-start-reference.ts'),
      join(outdir, REFERENCE, 'index.mjs'),
      {},
    ),
  );
  for (const floor of FLOORS) {
    bundles.set(
      floor.name,
      await buildLambdaBundle(
        join(root, floor.entry),
        join(outdir, floor.name.replace(':', '-'), 'index.mjs'),
      ),
    );
  }
  for (const { handler } of functions) bundles.set(handler, await buildHandlerBundle(handler, outdir));

  const times = new Map<string, number[]>([...bundles.keys()].map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of shuffled([...bundles.keys()])) times.get(name)!.push(importTime(bundles.get(name)!));
    process.stdout.write(`round ${round + 1}/${ROUNDS}\n`);
  }

  const reference = median(times.get(REFERENCE)!);
  const rows = functions.map(({ handler, kind }) => {
    const ms = median(times.get(handler)!);
    return { handler, kind, ms, ratio: ms / reference, kb: bundles.get(handler)!.bytes / 1024 };
  });
  const met = rows.filter((r) => r.ratio <= TARGET).length;
  const floors = FLOORS.map(({ name, label }) => {
    const ms = median(times.get(name)!);
    return { label, ms, ratio: ms / reference, kb: bundles.get(name)!.bytes / 1024 };
  });
  const fmt = (n: number, digits = 0) => n.toFixed(digits);
  const section = [
    '<!-- bench:cold-start -->',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (tests/bench/cold-start.ts) on this project's`,
    `CI-class machine (2 cores, Node ${process.version}). Each function's bundle is built as ProjectFunction builds it`,
    '(minified ESM, SDK bundled, source map beside it) and imported in a fresh process with `AWS_LAMBDA_FUNCTION_NAME`',
    'set, so it composes its dependencies as on Lambda, without `--enable-source-maps` (as deployed); the time from',
    '`import()` to its settled promise is measured inside that process. The reference is a conventional handler',
    `(tests/bench/cold-start-reference.ts: DynamoDB DocumentClient, middy, Powertools logger, zod) bundled the same`,
    "way but with the SDK's default credential chain, as a conventional handler has it:",
    `${fmt(reference, 1)} ms, ${fmt(bundles.get(REFERENCE)!.bytes / 1024)} KB. ${ROUNDS} rounds, each importing every function and the`,
    'reference once in a shuffled order; medians.',
    '',
    `Target: every function ≤ ${TARGET}× the reference. Met by ${met} of ${rows.length}.`,
    '',
    'Floors, measured in the same rounds:',
    '',
    '| floor | bundle (KB) | import (ms) | vs reference |',
    '|---|---|---|---|',
    ...floors.map((f) => `| ${f.label} | ${fmt(f.kb)} | ${fmt(f.ms, 1)} | ${fmt(f.ratio, 2)}× |`),
    '',
    'Every function but `ws-ping` bundles the DynamoDB client, so its import time is at least the second floor;',
    `where that floor is above ${TARGET}× the reference, the target is out of reach while the SDK v3 DynamoDB client`,
    'is bundled, whatever the rest of the function holds.',
    '',
    'Where the time goes: import time follows bundle size; most of it is V8 compiling the module source, then Node',
    "loading the built-ins it imports (the SDK's HTTP handler pulls http, https, zlib, crypto, fs). Our bundles take the",
    "SDK's credentials from the environment only and hold no X-Ray SDK (docs/adr/0018-cold-start.md: ~250 KB less in",
    'every bundle). Besides the DynamoDB client (~200 KB: @smithy/core ~110 KB, @aws-sdk/core, the client, SigV4, the',
    'HTTP handler), every function holds ~95 KB of ours, measured apart at roughly: the contract, routes table and',
    'valibot ~30 KB (~7 ms: every schema of the API is built at import), Powertools Logger and Metrics ~31 KB (~8 ms),',
    'middy ~3 KB (~3 ms: it imports node:stream/web); the KB column shows what each route adds (Cognito, Scheduler,',
    'SQS, @connections, phone metadata, Twilio).',
    '',
    '| function | invoked by | bundle (KB) | import (ms) | vs reference | target ≤ 0.6× |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.handler} | ${r.kind} | ${fmt(r.kb)} | ${fmt(r.ms, 1)} | ${fmt(r.ratio, 2)}× | ${r.ratio <= TARGET ? 'met' : 'missed'} |`,
    ),
    '<!-- /bench:cold-start -->',
  ].join('\n');

  const file = join(root, 'BENCHMARKS.md');
  const current = readFileSync(file, 'utf8');
  const updated = current.replace(/<!-- bench:cold-start -->[\s\S]*<!-- \/bench:cold-start -->/, section);
  writeFileSync(
    file,
    updated === current && !current.includes('bench:cold-start') ? `${current}\n${section}\n` : updated,
  );
  console.log(`\n${section}`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
