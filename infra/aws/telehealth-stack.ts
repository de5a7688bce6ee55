import * as path from 'node:path';
import { CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { jobs } from '../../functions/routes';
import type { WebConfig } from '../../shared/api';
import { Auth } from './constructs/auth';
import { bindCapabilities, type Capabilities } from './constructs/capabilities';
import { Data } from './constructs/data';
import { Notifications } from './constructs/notifications';
import { Ops } from './constructs/ops';
import { REPO_ROOT } from './constructs/project-function';
import { Realtime } from './constructs/realtime';
import { RestApi } from './constructs/rest-api';
import { Web } from './constructs/web';

export interface TelehealthStackProps extends StackProps {
  /** @default web/dist of the repository */
  readonly webDistDir?: string;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
  /** Until how long before the start patients may still cancel or reschedule. @default 120 minutes */
  readonly appointmentChangeCutoff?: Duration;
  /**
   * `p2p`: browser-to-browser WebRTC signaled over the WebSocket API; `twilio`: Twilio Video rooms
   * (needs the API key in the Twilio secret, and lets the web app connect to Twilio).
   * @default 'p2p'
   */
  readonly videoProvider?: VideoProvider;
  /**
   * p2p only: fetch short-lived STUN/TURN credentials per call from Twilio's Network Traversal
   * Service, so calls work behind NATs and firewalls. Without it browsers get no ICE servers at
   * all and only connect when directly reachable. Ignored with the `twilio` provider.
   * @default true
   */
  readonly iceFromTwilio?: boolean;
}

export type VideoProvider = 'p2p' | 'twilio';

/** What the web app must reach for Twilio Video (signaling and REST); media itself is WebRTC. */
export const TWILIO_VIDEO_CONNECT_SOURCES = ['https://*.twilio.com', 'wss://*.twilio.com'] as const;

/**
 * The whole product on AWS. Construction order follows the dependencies: the web app's origin is
 * what the APIs allow (CORS); the constructs providing capabilities (Notifications, Realtime) come
 * before the REST API, whose functions are bound to them as their routes declare; and the APIs'
 * origins are what the web app may connect to (CSP) — bound after the APIs exist, which keeps
 * CloudFormation free of cycles because the distribution depends only on the API resources, never
 * on their functions or deployments. REST functions refer to the WebSocket stage, never the reverse.
 */
export class TelehealthStack extends Stack {
  readonly auth: Auth;
  readonly data: Data;
  readonly web: Web;
  readonly notifications: Notifications;
  readonly restApi: RestApi;
  readonly realtime: Realtime;
  readonly ops: Ops;

  constructor(scope: Construct, id: string, props: TelehealthStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('project', 'telehealth');
    Tags.of(this).add('data-classification', 'phi');

    this.auth = new Auth(this, 'Auth');
    this.data = new Data(this, 'Data');
    this.web = new Web(this, 'Web', {
      siteDir: props.webDistDir ?? path.join(REPO_ROOT, 'web', 'dist'),
      region: this.region,
    });

    const videoProvider = props.videoProvider ?? 'p2p';
    const iceFromTwilio = videoProvider === 'p2p' && (props.iceFromTwilio ?? true);

    // Never DYNAMODB_ENDPOINT or COGNITO_LOCAL_ENDPOINT here: those switch the handlers to the
    // local platform (and its publicly known token signing key).
    const baseEnvironment: Record<string, string> = {
      TABLE_NAME: this.data.table.tableName,
      USER_POOL_ID: this.auth.userPool.userPoolId,
      USER_POOL_CLIENT_ID: this.auth.userPoolClient.userPoolClientId,
      ALLOWED_ORIGINS: this.web.origin,
      APPOINTMENT_CHANGE_CUTOFF_MINUTES: String(
        (props.appointmentChangeCutoff ?? Duration.minutes(120)).toMinutes(),
      ),
      // Selectors go to every function, like SMS_PROVIDER: liveDeps reads the provider at load.
      VIDEO_PROVIDER: videoProvider,
      ICE_FROM_TWILIO: String(iceFromTwilio),
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
      reminders: { bind: (fn) => this.notifications.bindScheduling(fn) },
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
    });
    bindCapabilities(this.notifications.reminderFunction, jobs.sendReminder.uses, capabilities);

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
    };
    this.web.publishConfig(webConfig);

    this.ops = new Ops(this, 'Ops', {
      restApi: this.restApi.api,
      functions: {
        ...this.restApi.functions,
        ...this.realtime.functions,
        wsAuthorizer: this.realtime.authorizerFunction,
        [jobs.sendReminder.id]: this.notifications.reminderFunction,
        [jobs.sendText.id]: this.notifications.textFunction,
      },
      alarmEmail: props.alarmEmail,
    });
    this.notifications.alarmOnDeadLetters(this.ops.topic);

    new CfnOutput(this, 'WebUrl', { value: this.web.origin, description: 'The web app' });
    new CfnOutput(this, 'ApiUrl', { value: this.restApi.url, description: 'REST API base URL' });
    new CfnOutput(this, 'WsUrl', { value: this.realtime.url, description: 'WebSocket API URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'TwilioSecretArn', {
      value: this.notifications.twilioSecret.secretArn,
      description: 'Put the Twilio credentials here after the first deploy (see infra/aws/README.md)',
    });
  }
}
