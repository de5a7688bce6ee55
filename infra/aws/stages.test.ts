import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { CANARY_RUNTIME } from './constructs/canary';
import { stackNameOf, stackPropsFor, stageConfigFrom, type StageConfig } from './stages';
import { flatTemplate, logicalIdIn } from './flat-template';
import { TelehealthStack } from './telehealth-stack';

// Bundling skipped (placeholder Lambda assets), as in telehealth-stack.test.ts.
const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-stages-site-'));
fs.writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><title>t</title>');
const env = { account: '111111111111', region: 'eu-central-1' };
const contextOf =
  (values: Record<string, unknown>) =>
  (name: string): unknown =>
    values[name];
const configOf = (values: Record<string, unknown>) => stageConfigFrom(contextOf(values), env);

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stackFor = (config: StageConfig) =>
  new TelehealthStack(app, stackNameOf(config.stage), { ...stackPropsFor(config), webDistDir: siteDir });
const dev = stackFor(configOf({ stage: 'dev' }));
const prod = stackFor(configOf({ stage: 'prod', alarmEmail: 'ops@example.org' }));
const assembly = app.synth();
afterAll(() => {
  fs.rmSync(siteDir, { recursive: true, force: true });
  fs.rmSync(assembly.directory, { recursive: true, force: true });
});

type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string };
const resourcesOf = (stack: TelehealthStack) =>
  Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, Resource>);
/**
 * Every literal name a resource of the stack gives itself (function, group, API, canary names),
 * except names unique only within their API (authorizers).
 */
function fixedNames(stack: TelehealthStack): string[] {
  const keys = ['FunctionName', 'Name', 'LogGroupName', 'TableName', 'BackupVaultName'];
  const accountWide = resourcesOf(stack).filter((r) => !r.Type.endsWith('::Authorizer'));
  return accountWide.flatMap((r) =>
    keys.map((k) => r.Properties?.[k]).filter((v): v is string => typeof v === 'string'),
  );
}

describe('stages', () => {
  it('defaults to dev, and lets context flags override the stage', () => {
    expect(stageConfigFrom(contextOf({})).stage).toBe('dev');
    const config = configOf({ stage: 'staging', alarmEmail: 'ops@example.org', videoProvider: 'twilio' });
    expect(config).toMatchObject({
      stage: 'staging',
      alarmEmail: 'ops@example.org',
      videoProvider: 'twilio',
    });
    expect(configOf({ stage: 'dev', canary: 'true' }).canary).toBe(true);
    expect(() => configOf({ stage: 'qa' })).toThrow(/stage must be one of dev, staging, prod/);
    expect(() => configOf({ adoptTableName: 'restored' })).toThrow(/go together/);
  });

  it('takes fallback STUN servers as a comma-separated list, and refuses anything but stun: URLs', () => {
    expect(
      configOf({ stunServers: 'stun:a.example.test:3478, stuns:b.example.test:5349' }).stunServers,
    ).toEqual(['stun:a.example.test:3478', 'stuns:b.example.test:5349']);
    expect(configOf({}).stunServers).toBeUndefined();
    expect(() => configOf({ stunServers: 'turn:u:p@relay.example.test' })).toThrow(/stun: or stuns: URLs/);
  });

  it('takes recording storage only with Twilio video, and a credential only with the bucket', () => {
    const credential = `CR${'a'.repeat(32)}`;
    const key = `CR${'b'.repeat(32)}`;
    expect(configOf({}).recording).toBeUndefined();
    const withBucket = configOf({
      videoProvider: 'twilio',
      recordingRetentionDays: '90',
      recordingCredentialSid: credential,
    });
    expect(withBucket.recording).toEqual({ retention: Duration.days(90), awsCredentialsSid: credential });
    expect(stackPropsFor(withBucket).recording).toEqual(withBucket.recording);
    expect(configOf({ videoProvider: 'twilio', recordingEncryptionKeySid: key }).recording).toEqual({
      encryptionKeySid: key,
    });
    expect(() => configOf({ recordingRetentionDays: '90' })).toThrow(/needs videoProvider=twilio/);
    expect(() => configOf({ videoProvider: 'twilio', recordingCredentialSid: credential })).toThrow(
      /needs recordingRetentionDays/,
    );
    expect(() =>
      configOf({ videoProvider: 'twilio', recordingRetentionDays: '90', recordingCredentialSid: 'AKIA…' }),
    ).toThrow(/must be a Twilio CR… SID/);
    expect(() => configOf({ videoProvider: 'twilio', recordingRetentionDays: '0' })).toThrow(
      /whole number of days/,
    );
  });

  it('synthesizes two stages in one app with distinct stack and resource names', () => {
    expect([dev.stackName, prod.stackName]).toEqual(['Telehealth-dev', 'Telehealth-prod']);
    const devNames = fixedNames(dev);
    const prodNames = fixedNames(prod);
    expect(devNames).toEqual(
      expect.arrayContaining(['telehealth-dev', 'telehealth-dev-ws', 'telehealth-dev-reminders']),
    );
    expect(devNames.length).toBeGreaterThanOrEqual(4);
    expect(devNames.filter((name) => prodNames.includes(name))).toEqual([]);
  });

  it('refuses staging and prod without an alarm subscriber, with a clear error', () => {
    for (const stage of ['staging', 'prod']) {
      expect(() => stackPropsFor(configOf({ stage }))).toThrow(
        new RegExp(`Stage ${stage} needs an alarm subscriber: pass -c alarmEmail=`),
      );
    }
    expect(() => stackPropsFor(configOf({ stage: 'dev' }))).not.toThrow();
  });

  it('retains the prod table and its key with deletion protection; dev may destroy them', () => {
    const tableOf = (stack: TelehealthStack) =>
      resourcesOf(stack).find((r) => r.Type === 'AWS::DynamoDB::Table')!;
    const keyPolicies = (stack: TelehealthStack) =>
      resourcesOf(stack)
        .filter((r) => r.Type === 'AWS::KMS::Key' && String(r.Properties?.Description).includes('table'))
        .map((r) => r.DeletionPolicy);
    expect(tableOf(prod).DeletionPolicy).toBe('Retain');
    expect(tableOf(prod).Properties?.DeletionProtectionEnabled).toBe(true);
    expect(keyPolicies(prod)).toEqual(['Retain']);
    expect(tableOf(dev).DeletionPolicy).toBe('Delete');
    expect(tableOf(dev).Properties?.DeletionProtectionEnabled).toBe(false);
    expect(keyPolicies(dev)).toEqual(['Delete']);
  });

  it('subscribes the alarm email and sets the stage’s log retention on every log group', () => {
    Template.fromStack(prod).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
    const retentions = resourcesOf(prod)
      .filter((r) => r.Type === 'AWS::Logs::LogGroup')
      .map((r) => r.Properties?.RetentionInDays);
    expect(new Set(retentions)).toEqual(new Set([365]));
  });

  it('warns in an output when Cognito mail does not go through SES, and uses SES when configured', () => {
    expect(Template.fromStack(dev).toJSON().Outputs.EmailWarning.Value).toMatch(/sesFromEmail/);
    const app2 = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = configOf({
      stage: 'dev',
      sesFromEmail: 'no-reply@example.org',
      sesFromName: 'Telehealth',
    });
    const withSes = new TelehealthStack(app2, 'WithSes', { ...stackPropsFor(config), webDistDir: siteDir });
    const template = Template.fromStack(withSes);
    expect(template.toJSON().Outputs.EmailWarning).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({
        EmailSendingAccount: 'DEVELOPER',
        From: 'Telehealth <no-reply@example.org>',
        SourceArn: Match.anyValue(),
      }),
    });
  });
});

describe('restore and backups', () => {
  const app2 = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const keyArn = 'arn:aws:kms:eu-central-1:111111111111:key/11111111-2222-3333-4444-555555555555';
  const copyVault = 'arn:aws:backup:eu-west-1:111111111111:backup-vault:telehealth-copy';
  const config = configOf({
    stage: 'dev',
    adoptTableName: 'telehealth-restored',
    adoptTableKeyArn: keyArn,
    backupLockMinDays: '7',
    backupLockMaxDays: '400',
    backupCopyVaultArn: copyVault,
  });
  const adopted = new TelehealthStack(app2, 'Adopted', { ...stackPropsFor(config), webDistDir: siteDir });
  const template = Template.fromStack(adopted);

  it('adopts a restored table by name: creates none, points functions and grants at it', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    // The table's functions and grants, the REST routes' (in their nested stacks) included.
    const resources = Object.values(flatTemplate(adopted).Resources);
    // One route of each nested stack: getAppointment (Routes), getPatient (AccountRoutes).
    for (const fn of [adopted.restApi.functions.getAppointment!, adopted.restApi.functions.getPatient!]) {
      const variables = (
        flatTemplate(adopted).Resources[logicalIdIn(fn)]!.Properties as {
          Environment: { Variables: Record<string, unknown> };
        }
      ).Environment.Variables;
      expect(variables.TABLE_NAME, fn.node.path).toBe('telehealth-restored');
    }
    const statements = resources
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        (p) =>
          (p.Properties as { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } })
            .PolicyDocument.Statement,
      );
    // Decryption through DynamoDB, i.e. with the table's key (the Twilio secret has a key of its own).
    const kms = statements.filter(
      (s) => JSON.stringify(s.Action).includes('kms:Decrypt') && JSON.stringify(s).includes('"dynamodb.'),
    );
    expect(kms.length).toBeGreaterThan(0);
    expect(kms.every((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn))).toBe(true);
    expect(JSON.stringify(statements)).toContain(':table/telehealth-restored');
    expect(JSON.stringify(statements)).not.toContain('dynamodb:Scan');
  });

  it('locks the vault and copies every recovery point to the configured vault', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 400 },
    });
    const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0]!;
    const rules = plan.Properties.BackupPlan.BackupPlanRule as {
      CopyActions: { DestinationBackupVaultArn: string }[];
    }[];
    expect(rules.map((r) => r.CopyActions.map((c) => c.DestinationBackupVaultArn))).toEqual([
      [copyVault],
      [copyVault],
    ]);
  });

  it('refuses a vault lock the plan’s retentions do not fit', () => {
    const bad = configOf({ stage: 'dev', backupLockMinDays: '60' });
    expect(
      () =>
        new TelehealthStack(
          new App({ context: { 'aws:cdk:bundling-stacks': [] } }),
          'Bad',
          stackPropsFor(bad),
        ),
    ).toThrow(/must allow the plan's retentions/);
  });
});

describe('canary', () => {
  const app2 = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const staging = new TelehealthStack(app2, stackNameOf('staging'), {
    ...stackPropsFor(configOf({ stage: 'staging', alarmEmail: 'ops@example.org' })),
    webDistDir: siteDir,
  });
  const template = Template.fromStack(staging);

  it('loads the sign-in page and /health every 5 minutes on a current runtime', () => {
    template.hasResourceProperties('AWS::Synthetics::Canary', {
      Name: 'telehealth-staging',
      RuntimeVersion: CANARY_RUNTIME.name,
      Schedule: Match.objectLike({ Expression: 'rate(5 minutes)' }),
      RunConfig: Match.objectLike({
        EnvironmentVariables: { SIGN_IN_URL: Match.anyValue(), HEALTH_URL: Match.anyValue() },
      }),
    });
    expect(CANARY_RUNTIME.name).toMatch(/^syn-nodejs-(puppeteer|playwright)-/);
  });

  it('alarms on its SuccessPercent to the stack’s alarm topic', () => {
    const alarmTopic = staging.getLogicalId(staging.ops.topic.node.defaultChild as never);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SuccessPercent',
      Namespace: 'CloudWatchSynthetics',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 100,
      AlarmActions: [{ Ref: alarmTopic }],
    });
  });

  it('is off in dev by default', () => {
    Template.fromStack(dev).resourceCountIs('AWS::Synthetics::Canary', 0);
  });
});
