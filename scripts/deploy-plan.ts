/**
 * What `npm run deploy -- --stage <stage>` does, as data: the pure part of scripts/deploy.ts, so the
 * argument rules and the command list are unit-tested without AWS.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
export const DEPLOY_USAGE = `Usage: npm run deploy -- ${STAGE_CHOICE} [--skip-bootstrap] [-c name=value]…`;
export const SMOKE_USAGE = `Usage: npm run smoke -- ${STAGE_CHOICE}`;

function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export interface DeployArgs {
  stage: Stage;
  /** CI's role may only assume the CDK roles, so it cannot bootstrap: an admin did that once. */
  skipBootstrap: boolean;
  /** Further CDK context, `name=value` each (`-c videoProvider=twilio`); `stage` comes from --stage. */
  context: string[];
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Reads `--stage <stage>` and the `options` given; anything else is a UsageError naming `usage`. */
function parse(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
): { stage: Stage; values: Values } {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { stage: { type: 'string' }, ...options },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  const stage = values.stage;
  if (stage === undefined) throw new UsageError(`Missing --stage.\n${usage}`);
  if (!isStage(stage)) {
    throw new UsageError(`Unknown stage ${JSON.stringify(stage)}: use one of ${STAGES.join(', ')}.`);
  }
  return { stage, values };
}

/** The arguments of scripts/deploy.ts; anything else is a UsageError that says what is allowed. */
export function parseDeployArgs(argv: readonly string[]): DeployArgs {
  const { stage, values } = parse(
    argv,
    {
      'skip-bootstrap': { type: 'boolean' },
      context: { type: 'string', short: 'c', multiple: true },
    },
    DEPLOY_USAGE,
  );
  const context = (values.context ?? []) as string[];
  for (const entry of context) {
    const name = /^([\w:@/.-]+)=/.exec(entry)?.[1];
    if (!name) throw new UsageError(`Context ${JSON.stringify(entry)} is not name=value.\n${DEPLOY_USAGE}`);
    if (name === 'stage')
      throw new UsageError(`Name the stage with --stage, not -c stage=….\n${DEPLOY_USAGE}`);
  }
  return { stage, skipBootstrap: values['skip-bootstrap'] === true, context };
}

/** The arguments of scripts/smoke.ts: only the stage, whose outputs file it reads. */
export function parseSmokeArgs(argv: readonly string[]): Stage {
  return parse(argv, {}, SMOKE_USAGE).stage;
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
  { stage, skipBootstrap, context: extra }: DeployArgs,
  options: { interactive: boolean },
): DeployPlan {
  const outputsFile = outputsFileFor(stage);
  const context = [`stage=${stage}`, ...extra].flatMap((entry) => ['-c', entry]);
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
