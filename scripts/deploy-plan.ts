/**
 * What `npm run deploy -- --stage <stage>` does, as data: the pure part of scripts/deploy.ts, so the
 * argument rules and the command list are unit-tested without AWS.
 */
import { parseArgs } from 'node:util';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** `cdk deploy --require-approval`: which changes wait for a yes at the terminal. */
export type Approval = 'never' | 'broadening' | 'any-change';

export interface Command {
  /** Shown before it runs. */
  title: string;
  command: string;
  args: string[];
}

export interface DeployPlan {
  stage: Stage;
  outputsFile: string;
  commands: Command[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const STAGE_CHOICE = `--stage <${STAGES.join('|')}>`;
export const DEPLOY_USAGE = `Usage: npm run deploy -- ${STAGE_CHOICE} [--skip-bootstrap]`;
export const SMOKE_USAGE = `Usage: npm run smoke -- ${STAGE_CHOICE}`;

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export interface DeployArgs {
  stage: Stage;
  /** CI's role may only assume the CDK roles, so it cannot bootstrap: an admin did that once. */
  skipBootstrap: boolean;
}

/** Reads `--stage <stage>` (and, with `flags`, the boolean options named there). */
function parse(
  argv: readonly string[],
  flags: readonly string[],
  usage: string,
): { stage: Stage; flags: Set<string> } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        ...Object.fromEntries(flags.map((flag) => [flag, { type: 'boolean' as const }])),
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  const stage = values.stage;
  if (stage === undefined || stage === true) throw new UsageError(`Missing --stage.\n${usage}`);
  if (!isStage(stage)) {
    throw new UsageError(`Unknown stage ${JSON.stringify(stage)}: use one of ${STAGES.join(', ')}.`);
  }
  return { stage, flags: new Set(flags.filter((flag) => values[flag] === true)) };
}

/** The arguments of scripts/deploy.ts; anything else is a UsageError that says what is allowed. */
export function parseDeployArgs(argv: readonly string[]): DeployArgs {
  const { stage, flags } = parse(argv, ['skip-bootstrap'], DEPLOY_USAGE);
  return { stage, skipBootstrap: flags.has('skip-bootstrap') };
}

/** The arguments of scripts/smoke.ts: only the stage, whose outputs file it reads. */
export function parseSmokeArgs(argv: readonly string[]): Stage {
  return parse(argv, [], SMOKE_USAGE).stage;
}

/**
 * At a terminal, a person confirms IAM and security-group changes (any change at all for prod).
 * Without one (CI) the CLI cannot ask, so it must not: there the GitHub `production` environment's
 * required reviewers are the approval, given before the job starts.
 */
export function approvalFor(stage: Stage, interactive: boolean): Approval {
  if (!interactive || stage === 'dev') return 'never';
  return stage === 'prod' ? 'any-change' : 'broadening';
}

export function outputsFileFor(stage: Stage): string {
  return `cdk.out/${stage}-outputs.json`;
}

export function deployPlan(
  { stage, skipBootstrap }: DeployArgs,
  options: { interactive: boolean },
): DeployPlan {
  const outputsFile = outputsFileFor(stage);
  const context = ['-c', `stage=${stage}`];
  return {
    stage,
    outputsFile,
    commands: [
      { title: 'Build the web app', command: 'npm', args: ['run', 'build:web'] },
      // Idempotent: an environment already bootstrapped with this template version is left as it is.
      ...(skipBootstrap
        ? []
        : [
            {
              title: 'Bootstrap the environment if needed',
              command: 'npx',
              args: ['cdk', 'bootstrap', ...context, '--no-notices'],
            },
          ]),
      {
        title: `Deploy ${stage}`,
        command: 'npx',
        args: [
          'cdk',
          'deploy',
          ...context,
          '--require-approval',
          approvalFor(stage, options.interactive),
          '--outputs-file',
          outputsFile,
          '--no-notices',
        ],
      },
    ],
  };
}
