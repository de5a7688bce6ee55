import { describe, expect, it } from 'vitest';
import {
  approvalFor,
  deployPlan,
  parseDeployArgs,
  parseSmokeArgs,
  UsageError,
  type Command,
} from './deploy-plan';

const line = (command: Command) => [command.command, ...command.args].join(' ');

describe('deploy arguments', () => {
  it('reads the stage and the bootstrap switch', () => {
    expect(parseDeployArgs(['--stage', 'staging'])).toEqual({
      stage: 'staging',
      skipBootstrap: false,
      context: [],
    });
    expect(
      parseDeployArgs([
        '--stage=prod',
        '--skip-bootstrap',
        '-c',
        'videoProvider=twilio',
        '--context=alarmEmail=ops@example.org',
      ]),
    ).toEqual({
      stage: 'prod',
      skipBootstrap: true,
      context: ['videoProvider=twilio', 'alarmEmail=ops@example.org'],
    });
    expect(parseSmokeArgs(['--stage', 'dev'])).toBe('dev');
  });

  it.each([
    [[], /Missing --stage/],
    [['--stage', 'production'], /Unknown stage "production": use one of dev, staging, prod/],
    [['--stage', ''], /Unknown stage ""/],
    [['--stage'], /argument missing/],
    [['--stage', 'dev', 'extra'], /Unexpected argument 'extra'/],
    [['--stage', 'dev', '--force'], /Unknown option '--force'/],
    [['--stage', 'dev', '-c', 'videoProvider'], /Context "videoProvider" is not name=value/],
    [['--stage', 'dev', '-c', 'stage=prod'], /Name the stage with --stage/],
  ])('refuses %j with a usage message', (argv, message) => {
    expect(() => parseDeployArgs(argv)).toThrow(UsageError);
    expect(() => parseDeployArgs(argv)).toThrow(message);
  });

  it('lets the smoke test take only the stage', () => {
    expect(() => parseSmokeArgs(['--stage', 'dev', '--skip-bootstrap'])).toThrow(/npm run smoke -- --stage/);
  });
});

describe('approval', () => {
  it('asks at a terminal for broadening changes on staging and for every change on prod', () => {
    expect(approvalFor('dev', true)).toBe('never');
    expect(approvalFor('staging', true)).toBe('broadening');
    expect(approvalFor('prod', true)).toBe('any-change');
  });

  it('never asks without a terminal, where the GitHub environment is the approval', () => {
    for (const stage of ['dev', 'staging', 'prod'] as const) expect(approvalFor(stage, false)).toBe('never');
  });
});

describe('deploy plan', () => {
  it('builds the web app, bootstraps, then deploys the stage with its outputs file', () => {
    const plan = deployPlan({ stage: 'staging', skipBootstrap: false, context: [] }, { interactive: true });
    expect(plan.outputsFile).toBe('cdk.out/staging-outputs.json');
    expect(plan.commands.map(line)).toEqual([
      'npm run build:web',
      'npx cdk bootstrap -c stage=staging --no-notices',
      'npx cdk deploy -c stage=staging --require-approval broadening --outputs-file cdk.out/staging-outputs.json --no-notices',
    ]);
  });

  it('passes further context along', () => {
    const plan = deployPlan(
      { stage: 'dev', skipBootstrap: false, context: ['videoProvider=twilio'] },
      { interactive: true },
    );
    expect(plan.commands.slice(1).map(line)).toEqual([
      'npx cdk bootstrap -c stage=dev -c videoProvider=twilio --no-notices',
      'npx cdk deploy -c stage=dev -c videoProvider=twilio --require-approval never --outputs-file cdk.out/dev-outputs.json --no-notices',
    ]);
  });

  it('leaves bootstrapping out when asked and never prompts in CI', () => {
    const plan = deployPlan({ stage: 'prod', skipBootstrap: true, context: [] }, { interactive: false });
    expect(plan.commands.map(line)).toEqual([
      'npm run build:web',
      'npx cdk deploy -c stage=prod --require-approval never --outputs-file cdk.out/prod-outputs.json --no-notices',
    ]);
  });
});
