/**
 * `npm run smoke -- --stage <stage>`: after `npm run deploy`, checks the deployed stage from its
 * outputs file (cdk.out/<stage>-outputs.json): the web app and its config.json, `GET <ApiUrl>/health`,
 * and the security headers of both. Exits non-zero with every problem found.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { outputsFileFor, parseSmokeArgs, UsageError } from './deploy-plan';
import { smokeChecks, stackUrls, type Check } from './smoke-checks';

/** A fresh deployment can answer 5xx for a moment (CloudFront, Lambda cold start): retry a little. */
const ATTEMPTS = 5;
const RETRY_DELAY_MS = 6_000;
const REQUEST_TIMEOUT_MS = 10_000;

async function attempt(check: Check): Promise<string[]> {
  try {
    const response = await fetch(check.url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return await check.verify(response);
  } catch (error) {
    return [`request failed: ${(error as Error).message}`];
  }
}

async function runCheck(check: Check): Promise<string[]> {
  let problems: string[] = [];
  for (let i = 1; i <= ATTEMPTS; i++) {
    problems = await attempt(check);
    if (problems.length === 0) return [];
    if (i < ATTEMPTS) await delay(RETRY_DELAY_MS);
  }
  return problems;
}

async function main(): Promise<void> {
  const stage = parseSmokeArgs(process.argv.slice(2));
  const file = outputsFileFor(stage);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new Error(`No ${file}: it is written by \`npm run deploy -- --stage ${stage}\``);
  });
  const urls = stackUrls(JSON.parse(text));
  let failed = false;
  for (const check of smokeChecks(urls)) {
    const problems = await runCheck(check);
    failed ||= problems.length > 0;
    console.log(`${problems.length ? '✗' : '✓'} ${check.name} (${check.url})`);
    for (const problem of problems) console.log(`    ${problem}`);
  }
  if (failed) throw new Error(`${stage} failed the smoke test`);
  console.log(`${stage} passed the smoke test.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : `Smoke test: ${(error as Error).message}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
