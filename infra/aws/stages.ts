import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { STAGES, type Stage } from '../../scripts/deploy-plan';
import type { CognitoEmail } from './constructs/auth';
import type { BackupCopy, BackupVaultLock } from './constructs/backup';
import type { AdoptedTable } from './constructs/data';
import type { WebDomain } from './constructs/web';
import type { RecordingOptions, TelehealthStackProps, VideoProvider } from './telehealth-stack';

export { STAGES, type Stage };

/**
 * One deployment environment. Everything here may be overridden per deploy with a context flag of
 * the same name (`-c alarmEmail=…`; {@link stageConfigFrom}, infra/aws/README.md).
 */
export interface StageConfig {
  readonly stage: Stage;
  /** @default - the credentials' account and region (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION) */
  readonly account?: string;
  readonly region?: string;
  readonly domain?: WebDomain;
  /**
   * What happens to the data (table, its key) when the stack or the resource goes. RETAIN also turns
   * on deletion protection.
   */
  readonly dataRemovalPolicy: RemovalPolicy;
  /** Retention of the functions' log groups. */
  readonly logRetention: RetentionDays;
  /** Who hears about alarms. Staging and prod refuse to synthesize without one. */
  readonly alarmEmail?: string;
  readonly videoProvider: VideoProvider;
  /** p2p only: STUN/TURN credentials from Twilio per call. @default true */
  readonly iceFromTwilio?: boolean;
  /** p2p only: STUN servers for calls when Twilio gives no TURN credentials. @default none */
  readonly stunServers?: string[];
  /** Cognito threat protection (Plus plan). */
  readonly threatProtection: boolean;
  /** A CLOUDFRONT web ACL made in us-east-1 (the stack makes its own in us-east-1). */
  readonly cloudFrontWebAclArn?: string;
  /** Cognito mails through SES from this verified identity; Cognito's own sender otherwise. */
  readonly email?: CognitoEmail;
  /** Use this existing (restored) table instead of creating one. */
  readonly adoptTable?: AdoptedTable;
  readonly backupVaultLock?: BackupVaultLock;
  readonly backupCopy?: BackupCopy;
  /** Run the synthetic sign-in/health canary. */
  readonly canary: boolean;
  /** Twilio video only: recordings in our storage (docs/operations.md, Recordings). @default off */
  readonly recording?: RecordingOptions;
  /** The practice directory (practice.json, logo, legal texts). @default the repository's practice/ */
  readonly practiceDir?: string;
}

/** The defaults of each stage, before context flags. */
export const STAGE_DEFAULTS: Readonly<Record<Stage, StageConfig>> = {
  dev: {
    stage: 'dev',
    dataRemovalPolicy: RemovalPolicy.DESTROY,
    logRetention: RetentionDays.ONE_WEEK,
    videoProvider: 'p2p',
    threatProtection: false,
    canary: false,
  },
  staging: {
    stage: 'staging',
    dataRemovalPolicy: RemovalPolicy.RETAIN,
    logRetention: RetentionDays.ONE_MONTH,
    videoProvider: 'p2p',
    threatProtection: false,
    canary: true,
  },
  prod: {
    stage: 'prod',
    dataRemovalPolicy: RemovalPolicy.RETAIN,
    logRetention: RetentionDays.ONE_YEAR,
    videoProvider: 'p2p',
    threatProtection: true,
    canary: true,
    backupVaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365 * 7) },
  },
};

/** The stages whose alarms must reach someone. */
export const STAGES_NEEDING_ALARM_SUBSCRIBER: readonly Stage[] = ['staging', 'prod'];

export const isStage = (value: unknown): value is Stage => (STAGES as readonly unknown[]).includes(value);

/** `Telehealth-<stage>`: every fixed resource name is derived from it, so stages can share an account. */
export const stackNameOf = (stage: Stage) => `Telehealth-${stage}`;

/**
 * The stack's properties for a stage. Throws when the stage may not be deployed as configured
 * (staging and prod without an alarm subscriber).
 */
export function stackPropsFor(config: StageConfig): TelehealthStackProps {
  if (STAGES_NEEDING_ALARM_SUBSCRIBER.includes(config.stage) && !config.alarmEmail) {
    throw new Error(
      `Stage ${config.stage} needs an alarm subscriber: pass -c alarmEmail=ops@example.org ` +
        `(infra/aws/README.md)`,
    );
  }
  const env =
    config.account || config.region ? { env: { account: config.account, region: config.region } } : {};
  return {
    ...env,
    stackName: stackNameOf(config.stage),
    stage: config.stage,
    description: `Telehealth (${config.stage}): video consultations between doctors and patients`,
    dataRemovalPolicy: config.dataRemovalPolicy,
    logRetention: config.logRetention,
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    videoProvider: config.videoProvider,
    ...(config.iceFromTwilio === undefined ? {} : { iceFromTwilio: config.iceFromTwilio }),
    ...(config.stunServers ? { stunServers: config.stunServers } : {}),
    threatProtection: config.threatProtection,
    canary: config.canary,
    ...(config.cloudFrontWebAclArn ? { cloudFrontWebAclArn: config.cloudFrontWebAclArn } : {}),
    ...(config.domain ? { domain: config.domain } : {}),
    ...(config.email ? { email: config.email } : {}),
    ...(config.adoptTable ? { adoptTable: config.adoptTable } : {}),
    ...(config.backupVaultLock ? { backupVaultLock: config.backupVaultLock } : {}),
    ...(config.backupCopy ? { backupCopy: config.backupCopy } : {}),
    ...(config.recording ? { recording: config.recording } : {}),
    ...(config.practiceDir ? { practiceDir: config.practiceDir } : {}),
  };
}

/** Reads one context value (`app.node.tryGetContext`). */
export type ContextReader = (name: string) => unknown;

/** The context flags {@link stageConfigFrom} reads, besides `stage`. */
export const CONTEXT_FLAGS = [
  'account',
  'region',
  'alarmEmail',
  'videoProvider',
  'iceFromTwilio',
  'stunServers',
  'threatProtection',
  'cloudFrontWebAclArn',
  'domainName',
  'certificateArn',
  'hostedZoneId',
  'hostedZoneName',
  'sesFromEmail',
  'sesFromName',
  'sesRegion',
  'adoptTableName',
  'adoptTableKeyArn',
  'backupLockMinDays',
  'backupLockMaxDays',
  'backupCopyVaultArn',
  'canary',
  'recordingRetentionDays',
  'recordingCredentialSid',
  'recordingEncryptionKeySid',
  'practiceDir',
] as const;

function readers(context: ContextReader) {
  const string = (name: string): string | undefined => {
    const value = context(name);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`Context ${name} must be a string`);
    return value;
  };
  // `-c name=true|false` arrives as a string; cdk.json may hold a boolean.
  const boolean = (name: string): boolean | undefined => {
    const value = context(name);
    if (value === undefined || value === '') return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new Error(`Context ${name} must be true or false, got ${JSON.stringify(value)}`);
  };
  const days = (name: string): Duration | undefined => {
    const value = context(name);
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Context ${name} must be a whole number of days`);
    return Duration.days(n);
  };
  return { string, boolean, days };
}

/**
 * The configuration of the stage named by `-c stage=<name>` (default `dev`), with each context flag
 * of {@link CONTEXT_FLAGS} overriding the stage's default. `account`/`region` fall back to the
 * credentials' (`CDK_DEFAULT_*`); without any, the stack is environment-agnostic (CI synth).
 */
export function stageConfigFrom(
  context: ContextReader,
  defaultEnv: { account?: string; region?: string } = {},
): StageConfig {
  const stage = context('stage') ?? 'dev';
  if (!isStage(stage)) {
    throw new Error(`Context stage must be one of ${STAGES.join(', ')}, got ${JSON.stringify(stage)}`);
  }
  const base = STAGE_DEFAULTS[stage];
  const { string, boolean, days } = readers(context);

  const videoProvider = string('videoProvider');
  if (videoProvider !== undefined && videoProvider !== 'p2p' && videoProvider !== 'twilio') {
    throw new Error(`Context videoProvider must be p2p or twilio, got ${JSON.stringify(videoProvider)}`);
  }
  const domainName = string('domainName');
  const certificateArn = string('certificateArn');
  const hostedZoneId = string('hostedZoneId');
  const hostedZoneName = string('hostedZoneName');
  if ((certificateArn || hostedZoneId) && !domainName) {
    throw new Error('Context certificateArn and hostedZoneId need domainName');
  }
  if (Boolean(hostedZoneId) !== Boolean(hostedZoneName)) {
    throw new Error('Context hostedZoneId and hostedZoneName go together');
  }
  const sesFromEmail = string('sesFromEmail');
  const sesFromName = string('sesFromName');
  const sesRegion = string('sesRegion');
  if ((sesFromName || sesRegion) && !sesFromEmail)
    throw new Error('Context sesFromName and sesRegion need sesFromEmail');
  const adoptTableName = string('adoptTableName');
  const adoptTableKeyArn = string('adoptTableKeyArn');
  if (Boolean(adoptTableName) !== Boolean(adoptTableKeyArn)) {
    throw new Error(
      'Context adoptTableName and adoptTableKeyArn go together (the restored table and its key)',
    );
  }
  const lockMin = days('backupLockMinDays');
  const lockMax = days('backupLockMaxDays');
  if (lockMax && !lockMin) throw new Error('Context backupLockMaxDays needs backupLockMinDays');
  const copyVaultArn = string('backupCopyVaultArn');
  const recordingRetention = days('recordingRetentionDays');
  const recordingSid = (name: string) => {
    const sid = string(name);
    if (sid !== undefined && !/^CR[0-9a-fA-F]{32}$/.test(sid))
      throw new Error(`Context ${name} must be a Twilio CR… SID`);
    return sid;
  };
  const awsCredentialsSid = recordingSid('recordingCredentialSid');
  const encryptionKeySid = recordingSid('recordingEncryptionKeySid');
  if (awsCredentialsSid && !recordingRetention)
    throw new Error('Context recordingCredentialSid needs recordingRetentionDays (the recordings bucket)');
  const recording: RecordingOptions | undefined =
    recordingRetention || encryptionKeySid
      ? {
          ...(recordingRetention ? { retention: recordingRetention } : {}),
          ...(awsCredentialsSid ? { awsCredentialsSid } : {}),
          ...(encryptionKeySid ? { encryptionKeySid } : {}),
        }
      : base.recording;
  if (recording && (videoProvider ?? base.videoProvider) !== 'twilio')
    throw new Error('Context recording… needs videoProvider=twilio (peer-to-peer calls are never recorded)');

  const iceFromTwilio = boolean('iceFromTwilio') ?? base.iceFromTwilio;
  const stunList = string('stunServers');
  const stunServers = stunList?.split(',').map((url) => url.trim()) ?? base.stunServers;
  if (stunServers?.some((url) => !/^stuns?:[^\s,]+$/.test(url))) {
    throw new Error(
      'Context stunServers must be stun: or stuns: URLs separated by commas (no TURN credentials)',
    );
  }
  const account = string('account') ?? base.account ?? defaultEnv.account;
  const region = string('region') ?? base.region ?? defaultEnv.region;
  const alarmEmail = string('alarmEmail') ?? base.alarmEmail;
  const cloudFrontWebAclArn = string('cloudFrontWebAclArn') ?? base.cloudFrontWebAclArn;
  const practiceDir = string('practiceDir') ?? base.practiceDir;
  const domain: WebDomain | undefined = domainName
    ? {
        domainName,
        ...(certificateArn ? { certificateArn } : {}),
        ...(hostedZoneId && hostedZoneName ? { hostedZone: { hostedZoneId, zoneName: hostedZoneName } } : {}),
      }
    : base.domain;
  const email: CognitoEmail | undefined = sesFromEmail
    ? {
        fromEmail: sesFromEmail,
        ...(sesFromName ? { fromName: sesFromName } : {}),
        ...(sesRegion ? { sesRegion } : {}),
      }
    : base.email;
  const adoptTable: AdoptedTable | undefined =
    adoptTableName && adoptTableKeyArn
      ? { tableName: adoptTableName, keyArn: adoptTableKeyArn }
      : base.adoptTable;
  const backupVaultLock: BackupVaultLock | undefined = lockMin
    ? { minRetention: lockMin, ...(lockMax ? { maxRetention: lockMax } : {}) }
    : base.backupVaultLock;
  const backupCopy: BackupCopy | undefined = copyVaultArn
    ? { destinationVaultArn: copyVaultArn }
    : base.backupCopy;

  return {
    ...base,
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    videoProvider: videoProvider ?? base.videoProvider,
    ...(iceFromTwilio === undefined ? {} : { iceFromTwilio }),
    ...(stunServers ? { stunServers } : {}),
    threatProtection: boolean('threatProtection') ?? base.threatProtection,
    canary: boolean('canary') ?? base.canary,
    ...(cloudFrontWebAclArn ? { cloudFrontWebAclArn } : {}),
    ...(practiceDir ? { practiceDir } : {}),
    ...(domain ? { domain } : {}),
    ...(email ? { email } : {}),
    ...(adoptTable ? { adoptTable } : {}),
    ...(backupVaultLock ? { backupVaultLock } : {}),
    ...(backupCopy ? { backupCopy } : {}),
    ...(recording ? { recording } : {}),
  };
}
