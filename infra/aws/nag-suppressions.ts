import { DefaultStackSynthesizer, Names, Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { api } from '../../shared/contract';
import type { SignInCanary } from './constructs/canary';
import { ProjectFunction } from './constructs/project-function';
import { RECORDINGS_PREFIX } from './constructs/recordings';
import { deployedHttpRoutes } from './constructs/rest-api';
import type { TelehealthStack } from './telehealth-stack';

/**
 * Every cdk-nag finding (AwsSolutions and HIPAA Security packs) the stack accepts, each on the
 * construct it concerns and with the reason it is accepted. Findings that could be fixed were fixed
 * instead (WAF, backup, TLS with a domain, scoped log and table grants, encrypted alarm topic);
 * infra/aws/nag.test.ts fails on anything new, and `cdk synth` runs the same packs (bin/app.ts).
 */
export interface NagOptions {
  /** The distribution has a WAF web ACL (the stack's own in us-east-1, or one passed in). */
  readonly siteHasWebAcl: boolean;
  /** The distribution has its own domain and a TLS 1.2+ certificate. */
  readonly siteHasDomain: boolean;
  /** Cognito threat protection (Plus plan) is on. */
  readonly threatProtection: boolean;
  /** The sign-in canary, when the stage runs one. */
  readonly canary: SignInCanary | undefined;
}

function acknowledge(scope: IConstruct, reasons: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(reasons)) Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag writes a pseudo parameter in a finding: the value when known, `<AWS::Name>` otherwise. */
const rendered = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);

/**
 * How cdk-nag writes, in a finding of a nested stack, a reference to `target` of the parent stack:
 * the nested stack's parameter for it, which CDK names `reference-to-<unique id of target><attribute>`.
 */
const nestedParameter = (target: IConstruct, attribute = 'Ref') =>
  `<referenceto${Names.nodeUniqueId(target.node)}${attribute}>`;

/** The reasons shared by every project function (REST routes, WebSocket routes, the reminder job). */
const FUNCTION_REASONS = {
  'AwsSolutions-IAM5[Resource::*]':
    'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions; every other grant names its resources.',
  'HIPAA.Security-IAMNoInlinePolicy':
    "One role per function, with a policy of exactly its route's grants (functions/routes.ts: access, uses); shared managed policies would give every function the union.",
  'HIPAA.Security-LambdaConcurrency':
    'Reserved concurrency would carve up the account pool per function; load is bounded before the functions instead: stage and per-route throttles, WAF rate rules, handler rate limits.',
  'HIPAA.Security-LambdaDLQ':
    'API and WebSocket functions are invoked synchronously (the caller gets the error, a DLQ would never see it); failed reminder runs are logged and alarmed (Ops).',
  'HIPAA.Security-LambdaInsideVPC':
    'The functions reach only AWS APIs and Twilio over TLS with IAM or API credentials; there is no VPC resource to reach, so a VPC would add NAT cost and no isolation.',
  'HIPAA.Security-CloudWatchLogGroupEncrypted':
    'Logs never hold PHI (ids, routes and error codes only; docs/security.md); CloudWatch Logs encrypts them at rest with AWS-owned keys.',
} as const;

/** Findings of CDK's own singleton functions (BucketDeployment), which the stack does not write. */
const CDK_SINGLETON_REASONS = {
  'AwsSolutions-L1': "CDK's BucketDeployment handler: CDK chooses and updates its runtime.",
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
    "CDK's BucketDeployment handler role: CDK attaches the basic execution policy for its logs.",
  'HIPAA.Security-IAMNoInlinePolicy': "CDK's BucketDeployment handler role: its policy is CDK's.",
  'HIPAA.Security-LambdaConcurrency': 'Runs only during deploys.',
  'HIPAA.Security-LambdaDLQ': 'Invoked synchronously by CloudFormation, which reports its failure.',
  'HIPAA.Security-LambdaInsideVPC': 'Reaches only S3 and CloudFront APIs, during deploys.',
} as const;

export function acknowledgeNagFindings(stack: TelehealthStack, options: NagOptions): void {
  const region = rendered(stack.region, 'Region');
  const account = rendered(stack.account, 'AccountId');
  const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct as CfnElement);

  for (const fn of stack.node.findAll().filter((c): c is ProjectFunction => c instanceof ProjectFunction)) {
    acknowledge(fn, FUNCTION_REASONS);
    acknowledge(fn.role!, FUNCTION_REASONS);
    acknowledge(fn.logGroup, FUNCTION_REASONS);
  }
  const copying =
    "CDK's BucketDeployment handler copies the web build from CDK's asset bucket into the site bucket and invalidates CloudFront; CDK writes these grants, scoped to the two buckets.";
  const assetBucket = `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${account}-${region}`;
  const copyingFindings = [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    `Resource::arn:<AWS::Partition>:s3:::${assetBucket}/*`,
    `Resource::<${logicalId(stack.web.bucket.node.defaultChild!)}.Arn>/*`,
    'Resource::*',
  ];
  for (const child of stack.node.children.filter((c) =>
    c.node.id.startsWith('Custom::CDKBucketDeployment'),
  )) {
    acknowledge(child, CDK_SINGLETON_REASONS);
    acknowledge(
      child,
      Object.fromEntries(copyingFindings.map((finding) => [`AwsSolutions-IAM5[${finding}]`, copying])),
    );
  }

  // Auth
  acknowledge(stack.auth.userPool, {
    'AwsSolutions-COG1':
      'The shared password policy (shared/policy.ts): at least 12 characters with upper and lower case and digits; symbols are not required, following NIST SP 800-63B (length over composition).',
    'AwsSolutions-COG2':
      'MFA is optional in the pool (TOTP only, no SMS) so patients can sign up without an authenticator app; the app requires it of doctors and admins (docs/security.md).',
    ...(options.threatProtection
      ? {}
      : {
          'AwsSolutions-COG8':
            'Threat protection (Plus plan) is billed per monthly active user; it is switched on with -c threatProtection=true (infra/aws/README.md).',
        }),
  });

  // User-pool triggers: the pool names its trigger functions, so a trigger's policy cannot name the
  // pool (a CloudFormation cycle); their declared Cognito actions go to the pools of this account
  // and region (functions/routes.ts `cognitoTriggers`).
  for (const trigger of Object.values(stack.auth.node.children)) {
    if (!(trigger instanceof ProjectFunction) || !trigger.node.id.startsWith('Trigger-')) continue;
    acknowledge(trigger.role!, {
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:${region}:${account}:userpool/*]`]:
        'A user-pool trigger cannot name its own pool (the pool names the trigger: a cycle); it may call only the Cognito actions its routes-table entry declares, on the pools of this account and region.',
    });
  }

  // The reminders' dead-letter queue: EventBridge Scheduler sends to it, named in each schedule's
  // DeadLetterConfig at runtime (functions/adapters/reminders/eventbridge.ts), so the template does
  // not show it as a DLQ.
  acknowledge(stack.notifications.reminderDeadLetters, {
    'AwsSolutions-SQS3':
      'It is the dead-letter queue of the reminder schedules (set per schedule at runtime); its depth is alarmed.',
  });

  // REST API
  const restApi = stack.restApi.api;
  acknowledge(restApi, {
    'AwsSolutions-APIG2':
      "Every handler validates body, path and query against the valibot schemas of shared/contract.ts and answers 400 in the project's error shape; gateway models would duplicate them in another shape.",
  });
  for (const route of deployedHttpRoutes.filter((r) => r.roles === 'public')) {
    const method = restApi.root.resourceForPath(route.path).node.findChild(route.method);
    const reason =
      route.id === api.registerPatient.id
        ? 'Patients register before they have an account, so the route is public; WAF (SignUpPerIp), the route throttle and the per-IP sign-up limit of the handler bound it.'
        : `${route.id} is public by design (functions/routes.ts).`;
    acknowledge(method, { 'AwsSolutions-APIG4': reason, 'AwsSolutions-COG4': reason });
  }
  acknowledge(restApi.deploymentStage, {
    'HIPAA.Security-APIGWCacheEnabledAndEncrypted':
      'Answers are per user and carry PHI (Cache-Control: no-store); a stage cache would only risk serving one user data of another.',
    'HIPAA.Security-APIGWSSLEnabled':
      'Backend client certificates authenticate API Gateway to HTTP backends; every integration here is a Lambda function invoked through IAM.',
  });
  acknowledge(restApi.node.findChild('CloudWatchRole'), {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
      "API Gateway's account-level logging role; this managed policy is the one AWS documents for it.",
  });
  acknowledge(stack.restApi, {
    [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${region}:${account}:schedule/${stack.notifications.scheduleGroup.scheduleGroupName}/*]`]:
      'One-time reminder schedules are named per appointment at run time; the grant is limited to the reminder group.',
  });

  // WebSocket API (and the REST functions that push to it, whose nested stacks take the API id as a
  // parameter)
  const connections = (apiId: string) =>
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${region}:${account}:${apiId}/${stack.realtime.stage.stageName}/*/@connections/*]`;
  const wsApi = stack.realtime.api.node.defaultChild!;
  const connectionsReason =
    'Connection ids exist only at run time; the grant is limited to @connections of the one WebSocket stage.';
  acknowledge(stack.realtime, { [connections(`<${logicalId(wsApi)}>`)]: connectionsReason });
  // The text sender shows a texted visit link in the doctor's queue at once (no-show rescue).
  acknowledge(stack.notifications.textFunction.role!, {
    [connections(`<${logicalId(wsApi)}>`)]: connectionsReason,
  });
  for (const routes of Object.values(stack.restApi.routes)) {
    acknowledge(routes, { [connections(nestedParameter(wsApi))]: connectionsReason });
  }
  acknowledge(stack.realtime.api, {
    'AwsSolutions-APIG4':
      'WebSocket APIs authorize on $connect only (Lambda authorizer on the Cognito ID token and the user’s sign-out time); later routes run on that authenticated connection.',
  });

  // Notifications
  const rotation =
    'Twilio credentials are issued and revoked in the Twilio console, which Secrets Manager cannot do; rotation is the manual runbook of infra/aws/README.md (Rotating the Twilio credentials).';
  acknowledge(stack.notifications.twilioSecret, {
    'AwsSolutions-SMG4': rotation,
    'HIPAA.Security-SecretsManagerRotationEnabled': rotation,
  });
  acknowledge(stack.notifications.schedulerRole, {
    'HIPAA.Security-IAMNoInlinePolicy': 'Its one statement: invoke the reminder function.',
  });

  // Web
  const publicBuild =
    'Holds only the public web build (no PHI), rebuilt from git by every deploy; CloudFront reads it through OAC.';
  acknowledge(stack.web.bucket, {
    'AwsSolutions-S1': publicBuild,
    'HIPAA.Security-S3BucketLoggingEnabled': publicBuild,
    'HIPAA.Security-S3BucketReplicationEnabled': publicBuild,
    'HIPAA.Security-S3DefaultEncryptionKMS': publicBuild,
  });
  acknowledge(stack.web.distribution, {
    'AwsSolutions-CFR1': 'Patients and doctors may be anywhere, travelling included; access is by account.',
    'AwsSolutions-CFR3':
      'The distribution serves public static files only; requests WAF blocks are logged, and PHI is reached through the API, whose access is logged.',
    ...(options.siteHasDomain
      ? {}
      : {
          'AwsSolutions-CFR4':
            'Without a domain of its own the distribution uses the *.cloudfront.net certificate, for which CloudFront fixes the minimum protocol at TLSv1; set domainName (infra/aws/README.md) to get TLSv1.2_2021.',
        }),
    ...(options.siteHasWebAcl
      ? {}
      : {
          'AwsSolutions-CFR2':
            'CloudFront web ACLs exist only in us-east-1: outside it pass -c cloudFrontWebAclArn=… (infra/aws/README.md); synth warns while there is none.',
        }),
  });

  // Recordings (Twilio external storage)
  if (stack.recordings) {
    const { recordings } = stack;
    acknowledge(recordings.bucket, {
      'HIPAA.Security-S3BucketReplicationEnabled':
        'Recordings are kept for a short, set retention and then deleted on purpose; a replica in another region would be a second copy of PHI to keep in step with that deletion. The bucket is versioned (a deleted or overwritten recording stays a day) and its key is retained.',
    });
    const logs =
      'Server access logs of the recordings bucket: request metadata (keys are Twilio room and recording SIDs, no names), expiring after their retention.';
    acknowledge(recordings.accessLogs, {
      'HIPAA.Security-S3DefaultEncryptionKMS': `${logs} S3 delivers server access logs only to buckets with S3-managed encryption (SSE-S3).`,
      'HIPAA.Security-S3BucketReplicationEnabled': logs,
    });
    acknowledge(recordings, {
      [`AwsSolutions-IAM5[Resource::<${logicalId(recordings.bucket.node.defaultChild!)}.Arn>/${RECORDINGS_PREFIX}/*]`]:
        'Twilio names each recording object itself (room and recording SIDs) under the prefix its recording settings use; PutObject is the only action granted.',
    });
  }

  // Canary
  if (options.canary) {
    const artifacts =
      'Screenshots and logs of the anonymous sign-in page and the /health answer only (no PHI), expiring after 30 days.';
    acknowledge(options.canary.artifacts, {
      'AwsSolutions-S1': artifacts,
      'HIPAA.Security-S3BucketLoggingEnabled': artifacts,
      'HIPAA.Security-S3BucketReplicationEnabled': artifacts,
      'HIPAA.Security-S3DefaultEncryptionKMS': artifacts,
    });
    acknowledge(options.canary.canary.role, {
      'AwsSolutions-IAM5[Resource::*]':
        'The Synthetics role CDK writes: s3:ListAllMyBuckets and cloudwatch:PutMetricData (limited to the CloudWatchSynthetics namespace by condition) have no resource-level permissions.',
      [`AwsSolutions-IAM5[Resource::<${logicalId(options.canary.artifacts.node.defaultChild!)}.Arn>/*]`]:
        'Run artifacts are written under run-time keys of the canary’s own bucket.',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/lambda/cwsyn-*]`]:
        'Synthetics names the canary’s function (cwsyn-<name>-<id>) at creation; the grant is limited to such log groups.',
      'HIPAA.Security-IAMNoInlinePolicy': 'The Synthetics role CDK writes, for this canary only.',
    });
  }

  // Backup, firewall logs
  acknowledge(stack.backup.plan, {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]':
      'The service role policy AWS Backup documents for taking backups; it follows new resource types.',
    'HIPAA.Security-IAMNoInlinePolicy': 'AWS Backup selection role created by CDK.',
  });
  const wafLogs =
    'Only blocked or counted requests, Authorization redacted: addresses, paths and rule names, no PHI.';
  for (const firewall of [stack.apiFirewall, stack.siteFirewall]) {
    if (firewall) acknowledge(firewall, { 'HIPAA.Security-CloudWatchLogGroupEncrypted': wafLogs });
  }
  const accessLogs =
    'API access logs hold ids, routes, status and timings, never bodies or PHI (rest-api.ts, realtime.ts).';
  acknowledge(stack.restApi, { 'HIPAA.Security-CloudWatchLogGroupEncrypted': accessLogs });
  acknowledge(stack.realtime, { 'HIPAA.Security-CloudWatchLogGroupEncrypted': accessLogs });
}
