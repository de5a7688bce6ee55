/**
 * `npm run deploy -- --stage <dev|staging|prod> [--skip-bootstrap] [-c name=value]…`: builds the web
 * app, bootstraps the AWS environment if needed and deploys the CDK app for one stage, writing the stack
 * outputs to cdk.out/<stage>-outputs.json (read by scripts/smoke.ts). The plan is in deploy-plan.ts.
 */
import { spawnSync } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { deployPlan, parseDeployArgs, UsageError, type Command } from './deploy-plan';

/**
 * Resolves the SDK's default credential chain and region (environment, profile, SSO, web identity…),
 * the same sources the CDK CLI reads, so a missing sign-in is reported before anything is built.
 * Any v3 client resolves the shared chain; the DynamoDB one is already a dependency.
 */
async function checkAwsSession(): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    await client.config.credentials().catch((error: unknown) => {
      throw new Error(
        `No AWS credentials found (${(error as Error).message}).\n` +
          'Sign in first, e.g. `aws sso login --profile <profile>` and `export AWS_PROFILE=<profile>`, ' +
          'or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN. In GitHub Actions the ' +
          'deploy workflow assumes the stage role through OIDC.',
      );
    });
    await client.config.region().catch(() => {
      throw new Error('No AWS region set: export AWS_REGION (or set `region` in the AWS profile).');
    });
  } finally {
    client.destroy();
  }
}

function run({ title, command, args }: Command): void {
  console.log(`\n▶ ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${title} failed (exit code ${result.status ?? result.signal})`);
}

async function main(): Promise<void> {
  const args = parseDeployArgs(process.argv.slice(2));
  await checkAwsSession();
  const plan = deployPlan(args, { interactive: Boolean(process.stdin.isTTY) && !process.env.CI });
  for (const command of plan.commands) run(command);
  console.log(`\nDeployed ${plan.stage}; stack outputs in ${plan.outputsFile}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : `Deploy failed: ${(error as Error).message}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
