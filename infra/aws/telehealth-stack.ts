import * as path from 'node:path';
import {
  Annotations,
  Aspects,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Tags,
  Token,
  type IAspect,
  type StackProps,
} from 'aws-cdk-lib';
import { CfnLogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { jobs } from '../../functions/routes';
import type { WebConfig } from '../../shared/api';
import { practiceForWeb } from '../../shared/practice';
import { loadPracticeDir } from '../practice';
import { api } from '../../shared/contract';
import { IDLE_SIGN_OUT_MINUTES, IDLE_WARNING_SECONDS, SECURITY_HEADERS } from '../../shared/policy';
import { Auth, type CognitoEmail } from './constructs/auth';
import { Backup, type BackupCopy, type BackupVaultLock } from './constructs/backup';
import { SignInCanary } from './constructs/canary';
import { bindCapabilities, type Capabilities } from './constructs/capabilities';
import { Data, type AdoptedTable } from './constructs/data';
import { Firewall, type RateRule } from './constructs/firewall';
import { Notifications } from './constructs/notifications';
import { Ops } from './constructs/ops';
import { REPO_ROOT } from './constructs/project-function';
import { Realtime } from './constructs/realtime';
import { Recordings } from './constructs/recordings';
import { RestApi, THROTTLED, type RouteThrottle } from './constructs/rest-api';
import { Web, type WebDomain } from './constructs/web';
import { acknowledgeNagFindings } from './nag-suppressions';

export interface TelehealthStackProps extends StackProps {
  /** The deployment stage (infra/aws/stages.ts); tagged on every resource. @default - untagged */
  readonly stage?: string;
  /**
   * The table and its key when they leave the stack: RETAIN (with deletion protection) or DESTROY.
   * @default RemovalPolicy.RETAIN
   */
  readonly dataRemovalPolicy?: RemovalPolicy;
  /** Retention of every log group of the stack. @default - each log group's own */
  readonly logRetention?: RetentionDays;
  /** Use an existing (restored) table instead of creating one (docs/operations.md, restore drill). */
  readonly adoptTable?: AdoptedTable;
  /** Lock the backup vault (recovery points undeletable before the minimum retention). */
  readonly backupVaultLock?: BackupVaultLock;
  /** Copy every recovery point to another vault (another region). */
  readonly backupCopy?: BackupCopy;
  /** Cognito mails through SES from this identity. @default - Cognito's capped default sender (warned) */
  readonly email?: CognitoEmail;
  /** Run the sign-in/health canary every 5 minutes, alarmed. @default false */
  readonly canary?: boolean;
  /** @default web/dist of the repository */
  readonly webDistDir?: string;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
  /** Until how long before the start patients may still cancel or reschedule. @default 120 minutes */
  readonly appointmentChangeCutoff?: Duration;
  /** How soon a new booking may start at the earliest; doctors may set their own. @default 60 minutes */
  readonly minBookingNotice?: Duration;
  /**
   * `p2p`: browser-to-browser WebRTC signaled over the WebSocket API; `twilio`: Twilio Video rooms
   * (needs the API key in the Twilio secret, and lets the web app connect to Twilio).
   * @default 'p2p'
   */
  readonly videoProvider?: VideoProvider;
  /**
   * p2p only: fetch short-lived STUN/TURN credentials per call from Twilio's Network Traversal
   * Service, so calls work behind NATs and firewalls. Without it browsers get only `stunServers`
   * and connect only when reachable without a relay. Ignored with the `twilio` provider.
   * @default true
   */
  readonly iceFromTwilio?: boolean;
  /**
   * p2p only: STUN servers (`stun:` URLs, no credentials) the browsers get when Twilio gives no TURN
   * credentials (or always, with `iceFromTwilio: false`). Calls then connect only when one side is
   * reachable through NAT without a relay.
   * @default none
   */
  readonly stunServers?: string[];
  /**
   * Cognito threat protection (Plus feature plan, enforced): extra cost per monthly active user.
   * @default false
   */
  readonly threatProtection?: boolean;
  /**
   * A WAFv2 web ACL of scope CLOUDFRONT for the web app. CloudFront web ACLs exist only in
   * us-east-1: a stack there creates its own (same rules as {@link SITE_RATE_RULES}); elsewhere
   * pass the ARN of one made in us-east-1, or the site has no web ACL (synth warns).
   * @default - the stack's own in us-east-1, none elsewhere
   */
  readonly cloudFrontWebAclArn?: string;
  /** The web app's own domain and certificate (TLS 1.2+). @default - the cloudfront.net name */
  readonly domain?: WebDomain;
  /**
   * Twilio video only: visit recordings, off by default (docs/adr/0012-recordings-only-in-our-storage.md).
   * `retention` creates the recordings bucket (KMS key, lifecycle rule) and Twilio's put-only
   * principal; the functions offer recording once Twilio's stored AWS credential (`awsCredentialsSid`,
   * with the bucket) or public key for encrypted recordings (`encryptionKeySid`) is named here.
   * @default - no recording
   */
  readonly recording?: RecordingOptions;
  /**
   * The practice whose service this is (shared/practice.ts): its details go into config.json and
   * the functions' PRACTICE_NAME, its logo and legal texts onto the site under /practice/.
   * @default the repository's practice/ (the fictional demo practice)
   */
  readonly practiceDir?: string;
}

export interface RecordingOptions {
  /** Creates the recordings bucket; recordings are deleted after this long. */
  readonly retention?: Duration;
  /** The CR… SID of the AWS credential stored in Twilio for the bucket's writer. */
  readonly awsCredentialsSid?: string;
  /** The CR… SID of the public key Twilio encrypts recordings with. */
  readonly encryptionKeySid?: string;
}

export type VideoProvider = 'p2p' | 'twilio';

/** What the web app must reach for Twilio Video (signaling and REST); media itself is WebRTC. */
export const TWILIO_VIDEO_CONNECT_SOURCES = ['https://*.twilio.com', 'wss://*.twilio.com'] as const;

/**
 * Per-IP limits (requests per 5 minutes) of the REST API's web ACL. The sign-up rule counts
 * `POST …/register` only (shared/contract.ts, `registerPatient`); sign-in goes from the browser
 * straight to Cognito, not through our API, so it is Cognito's to limit (and threat protection's).
 */
export const API_RATE_RULES: readonly RateRule[] = [
  { name: 'PerIp', limit: 1500 },
  {
    name: 'SignUpPerIp',
    limit: 10,
    scope: { pathSuffix: api.registerPatient.path, method: api.registerPatient.method },
  },
];
/** Per-IP limit of the site's web ACL: static files, mostly cached by the browser. */
export const SITE_RATE_RULES: readonly RateRule[] = [{ name: 'PerIp', limit: 2000 }];
/**
 * Stage throttles of single routes, for all callers together (per-caller limits are WAF's and the
 * handlers'): sign-ups and bookings are the writes an attacker would repeat.
 */
export const ROUTE_THROTTLING: Readonly<Record<string, RouteThrottle>> = {
  registerPatient: { rateLimit: 5, burstLimit: 10 },
  bookAppointment: { rateLimit: 20, burstLimit: 40 },
};

/**
 * The whole product on AWS. Construction order follows the dependencies: the web app's origin is
 * what the APIs allow (CORS); the constructs providing capabilities (Notifications, Realtime) come
 * before the REST API, whose functions are bound to them as their routes declare; and the APIs'
 * origins are what the web app may connect to (CSP) — bound after the APIs exist, which keeps
 * CloudFormation free of cycles because the distribution depends only on the API resources, never
 * on their functions or deployments. REST functions refer to the WebSocket stage, never the reverse.
 *
 * The REST routes (function, role, policy, log group, permission, resources and methods of each) are
 * in nested stacks under the REST API (`restApi.routes`, by first path segment), so the stack keeps room below
 * CloudFormation's 500 resources as routes are added (docs/adr/0013-rest-routes-in-a-nested-stack.md).
 * Tags, the log retention aspect and the cdk-nag acknowledgements reach it through the construct tree.
 */
export class TelehealthStack extends Stack {
  readonly auth: Auth;
  readonly data: Data;
  readonly web: Web;
  readonly notifications: Notifications;
  readonly restApi: RestApi;
  readonly realtime: Realtime;
  readonly ops: Ops;
  readonly backup: Backup;
  /** The REST API stage's web ACL. */
  readonly apiFirewall: Firewall;
  /** The site's web ACL when the stack made it (us-east-1 only). */
  readonly siteFirewall?: Firewall;
  readonly canary?: SignInCanary;
  /** The recordings bucket, its key and Twilio's writer, when recording storage is on. */
  readonly recordings?: Recordings;

  constructor(scope: Construct, id: string, props: TelehealthStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('project', 'telehealth');
    Tags.of(this).add('data-classification', 'phi');
    if (props.stage) Tags.of(this).add('stage', props.stage);
    if (props.logRetention) Aspects.of(this).add(logRetentionOf(props.logRetention));
    // An incomplete or malformed practice stops synth, naming the problem.
    const practice = loadPracticeDir(props.practiceDir);

    this.auth = new Auth(this, 'Auth', {
      threatProtection: props.threatProtection ?? false,
      ...(props.email ? { email: props.email } : {}),
    });
    this.data = new Data(this, 'Data', {
      ...(props.dataRemovalPolicy ? { removalPolicy: props.dataRemovalPolicy } : {}),
      ...(props.adoptTable ? { adopt: props.adoptTable } : {}),
    });
    this.backup = new Backup(this, 'Backup', {
      tables: [this.data.table],
      ...(props.backupVaultLock ? { vaultLock: props.backupVaultLock } : {}),
      ...(props.backupCopy ? { copy: props.backupCopy } : {}),
    });

    const inUsEast1 = !Token.isUnresolved(this.region) && this.region === 'us-east-1';
    if (!props.cloudFrontWebAclArn && inUsEast1) {
      this.siteFirewall = new Firewall(this, 'SiteFirewall', {
        scope: 'CLOUDFRONT',
        name: 'site',
        rateRules: SITE_RATE_RULES,
      });
    }
    const cloudFrontWebAclArn = props.cloudFrontWebAclArn ?? this.siteFirewall?.webAcl.attrArn;
    this.web = new Web(this, 'Web', {
      siteDir: props.webDistDir ?? path.join(REPO_ROOT, 'web', 'dist'),
      region: this.region,
      ...(cloudFrontWebAclArn ? { webAclArn: cloudFrontWebAclArn } : {}),
      ...(props.domain ? { domain: props.domain } : {}),
    });
    if (!cloudFrontWebAclArn) {
      Annotations.of(this.web.distribution).addWarningV2(
        'telehealth:site-without-waf',
        'The web app has no WAF web ACL: deploy in us-east-1 or pass -c cloudFrontWebAclArn=… (infra/aws/README.md)',
      );
    }

    const videoProvider = props.videoProvider ?? 'p2p';
    const iceFromTwilio = videoProvider === 'p2p' && (props.iceFromTwilio ?? true);
    const recording = props.recording;
    if (recording && videoProvider !== 'twilio')
      throw new Error('Recording needs the twilio video provider (peer-to-peer calls are never recorded)');
    if (recording?.awsCredentialsSid && !recording.retention)
      throw new Error('An AWS credential for recordings needs the recordings bucket (a retention)');
    if (recording?.retention) {
      this.recordings = new Recordings(this, 'Recordings', {
        retention: recording.retention,
        ...(props.dataRemovalPolicy ? { removalPolicy: props.dataRemovalPolicy } : {}),
      });
    }
    const recordingEnvironment: Record<string, string> =
      recording?.encryptionKeySid || (this.recordings && recording?.awsCredentialsSid)
        ? {
            RECORDING: 'on',
            ...(this.recordings && recording.awsCredentialsSid
              ? {
                  RECORDING_AWS_CREDENTIALS_SID: recording.awsCredentialsSid,
                  RECORDING_S3_URL: this.recordings.s3Url,
                }
              : {}),
            ...(recording.encryptionKeySid
              ? { RECORDING_ENCRYPTION_KEY_SID: recording.encryptionKeySid }
              : {}),
          }
        : {};

    // Never DYNAMODB_ENDPOINT or COGNITO_LOCAL_ENDPOINT here: those switch the handlers to the
    // local platform (and its publicly known token signing key).
    const baseEnvironment: Record<string, string> = {
      TABLE_NAME: this.data.table.tableName,
      USER_POOL_ID: this.auth.userPool.userPoolId,
      USER_POOL_CLIENT_ID: this.auth.userPoolClient.userPoolClientId,
      ALLOWED_ORIGINS: this.web.origin,
      PRACTICE_NAME: practice.practice.name,
      ...(practice.practice.timeZone ? { PRACTICE_TIME_ZONE: practice.practice.timeZone } : {}),
      ...(practice.practice.noShowGraceMinutes !== undefined
        ? { NO_SHOW_GRACE_MINUTES: String(practice.practice.noShowGraceMinutes) }
        : {}),
      APPOINTMENT_CHANGE_CUTOFF_MINUTES: String(
        (props.appointmentChangeCutoff ?? Duration.minutes(120)).toMinutes(),
      ),
      APPOINTMENT_MIN_NOTICE_MINUTES: String((props.minBookingNotice ?? Duration.minutes(60)).toMinutes()),
      // Selectors go to every function, like SMS_PROVIDER: liveDeps reads the provider at load.
      VIDEO_PROVIDER: videoProvider,
      ICE_FROM_TWILIO: String(iceFromTwilio),
      ...(videoProvider === 'p2p' && props.stunServers?.length
        ? { ICE_SERVERS: JSON.stringify([{ urls: props.stunServers }]) }
        : {}),
      ...recordingEnvironment,
      POWERTOOLS_SERVICE_NAME: 'telehealth',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    this.notifications = new Notifications(this, 'Notifications', {
      data: this.data,
      environment: baseEnvironment,
    });
    const environment = { ...baseEnvironment, ...this.notifications.environment };
    this.realtime = new Realtime(this, 'Realtime', { data: this.data, environment });

    // Resources and grants go exactly to the functions whose routes declare the capability.
    const capabilities: Capabilities = {
      sms: { bind: (fn) => this.notifications.bindTexting(fn) },
      smsNow: { bind: (fn) => this.notifications.grantTwilioSecret(fn) },
      smsWebhook: { bind: (fn) => this.notifications.grantTwilioSecret(fn) },
      reminders: { bind: (fn) => this.notifications.bindScheduling(fn) },
      twilioStatus: { bind: (fn) => this.notifications.grantTwilioSecret(fn) },
      realtime: { bind: (fn) => this.realtime.bindPostToConnections(fn) },
      video: {
        bind: (fn) => {
          if (videoProvider === 'twilio' || iceFromTwilio) this.notifications.grantTwilioSecret(fn);
        },
      },
    };
    this.restApi = new RestApi(this, 'Api', {
      auth: this.auth,
      data: this.data,
      allowedOrigins: [this.web.origin],
      environment,
      capabilities,
      routeThrottling: ROUTE_THROTTLING,
    });
    this.apiFirewall = new Firewall(this, 'ApiFirewall', {
      scope: 'REGIONAL',
      name: 'api',
      rateRules: API_RATE_RULES,
      // WAF sees 8 KB of a regional request body; the handlers accept up to 64 KB and check it.
      countOnlyCommonRules: ['SizeRestrictions_BODY'],
      // Like API Gateway's own 429: the project's error shape, readable by the web app (CORS).
      rateLimitedResponse: {
        json: JSON.stringify({ error: THROTTLED }),
        headers: {
          ...Object.fromEntries(Object.entries(SECURITY_HEADERS).filter(([name]) => name !== 'Content-Type')),
          'Access-Control-Allow-Origin': this.web.origin,
          Vary: 'Origin',
          // WAF looks at the last 5 minutes, re-evaluated about every 30 seconds.
          'Retry-After': '60',
        },
      },
    });
    new CfnWebACLAssociation(this, 'ApiFirewallAssociation', {
      resourceArn: this.restApi.api.deploymentStage.stageArn,
      webAclArn: this.apiFirewall.webAcl.attrArn,
    });
    bindCapabilities(this.notifications.reminderFunction, jobs.sendReminder.uses, capabilities);
    bindCapabilities(this.notifications.textFunction, jobs.sendText.uses, capabilities);
    // The text sender asks Twilio for delivery reports at the API's webhook (see RestApi.publicUrl).
    this.notifications.textFunction.addEnvironment('PUBLIC_API_URL', this.restApi.publicUrl);
    const triggerFunctions = this.auth.addTriggers({ data: this.data, environment });

    this.web.allowConnectTo(this.restApi.origin, this.realtime.origin);
    if (videoProvider === 'twilio') this.web.allowConnectTo(...TWILIO_VIDEO_CONNECT_SOURCES);
    const webConfig: WebConfig = {
      stage: 'aws',
      region: this.region,
      userPoolId: this.auth.userPool.userPoolId,
      userPoolClientId: this.auth.userPoolClient.userPoolClientId,
      authFlow: 'USER_SRP_AUTH',
      apiUrl: this.restApi.url,
      wsUrl: this.realtime.url,
      idleSignOutSeconds: IDLE_SIGN_OUT_MINUTES * 60,
      idleWarningSeconds: IDLE_WARNING_SECONDS,
      practice: practiceForWeb(practice.practice),
    };
    this.web.publishConfig(webConfig);
    this.web.publishPractice(practice.dir, practice.practice);

    this.ops = new Ops(this, 'Ops', {
      restApi: this.restApi.api,
      table: this.data.table,
      webSocket: { api: this.realtime.api, stage: this.realtime.stage },
      functions: {
        ...this.restApi.functions,
        ...this.realtime.functions,
        wsAuthorizer: this.realtime.authorizerFunction,
        [jobs.sendReminder.id]: this.notifications.reminderFunction,
        ...triggerFunctions,
        [jobs.sendText.id]: this.notifications.textFunction,
      },
      alarmEmail: props.alarmEmail,
    });
    this.notifications.alarmOnDeadLetters(this.ops.topic);
    if (props.canary) {
      this.canary = new SignInCanary(this, 'Canary', {
        webOrigin: this.web.origin,
        apiUrl: this.restApi.url,
        alarmTopic: this.ops.topic,
      });
    }

    new CfnOutput(this, 'WebUrl', { value: this.web.origin, description: 'The web app' });
    new CfnOutput(this, 'ApiUrl', { value: this.restApi.url, description: 'REST API base URL' });
    new CfnOutput(this, 'WsUrl', { value: this.realtime.url, description: 'WebSocket API URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    if (this.recordings) {
      new CfnOutput(this, 'RecordingsS3Url', {
        value: this.recordings.s3Url,
        description: 'AwsS3Url for Twilio Video recording settings (docs/operations.md, Recordings)',
      });
      new CfnOutput(this, 'RecordingsWriterUser', {
        value: this.recordings.writer.userName,
        description:
          'Create its access key and store it in Twilio as an AWS credential, never anywhere else (docs/operations.md)',
      });
    }
    new CfnOutput(this, 'TwilioSecretArn', {
      value: this.notifications.twilioSecret.secretArn,
      description: 'Put the Twilio credentials here after the first deploy (see infra/aws/README.md)',
    });

    if (!props.email) {
      new CfnOutput(this, 'EmailWarning', {
        value:
          'Cognito sends email with its default sender, capped at a few emails a day: pass -c sesFromEmail=<a verified SES identity> (infra/aws/README.md)',
        description: 'WARNING: Cognito email is not going through SES',
      });
    }

    acknowledgeNagFindings(this, {
      siteHasWebAcl: cloudFrontWebAclArn !== undefined,
      siteHasDomain: props.domain !== undefined,
      threatProtection: props.threatProtection ?? false,
      canary: this.canary,
    });
  }
}

/** Sets one retention on every log group of the stack (the stage's, infra/aws/stages.ts). */
function logRetentionOf(retention: RetentionDays): IAspect {
  return {
    visit(node) {
      if (node instanceof CfnLogGroup) node.retentionInDays = retention;
    },
  };
}
