import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, Group, ManagedPolicy, PolicyStatement, User } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';

/** Where under the bucket Twilio writes (the path of the `AwsS3Url` in its recording settings). */
export const RECORDINGS_PREFIX = 'rooms';

export interface RecordingsProps {
  /** How long a recording is kept; S3 deletes it afterwards (lifecycle rule). */
  readonly retention: Duration;
  /** Server access logs of the recordings bucket are kept this long. @default 365 days */
  readonly accessLogRetention?: Duration;
  /**
   * What becomes of the buckets and the key when they leave the stack. Recordings are PHI.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Twilio Video's external storage for recordings (docs/adr/0012-recordings-only-in-our-storage.md):
 * a private, versioned bucket encrypted with a customer-managed key, reachable only over TLS, whose
 * recordings expire after the retention, with server access logs in a bucket of their own; and
 * the one principal Twilio writes with, allowed nothing but `s3:PutObject` under
 * {@link RECORDINGS_PREFIX} (and the key use that PutObject needs, through S3 only).
 *
 * Twilio's external storage takes an AWS access key: a role cannot be assumed by Twilio, so the
 * principal is an IAM user. The stack creates no access key (it would land in the template and
 * the state); ops create one for {@link writer} and hand it straight to Twilio as a stored AWS
 * credential (docs/operations.md, "Recordings").
 */
export class Recordings extends Construct {
  readonly key: Key;
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  /** Twilio's principal: member of {@link writers}, which holds the PutObject-only policy. */
  readonly writer: User;
  readonly writers: Group;
  /** The `AwsS3Url` for Twilio's recording settings, and RECORDING_S3_URL of the functions. */
  readonly s3Url: string;

  constructor(scope: Construct, id: string, props: RecordingsProps) {
    super(scope, id);
    // Log delivery is granted by a bucket policy, not the legacy ACL, so both buckets keep ACLs
    // disabled (bucket owner enforced). Set here, before any child exists, for this construct only.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the telehealth visit recordings (Twilio external storage)',
      enableKeyRotation: true,
      removalPolicy,
    });
    // S3 server access logs can be delivered only to a bucket with S3-managed encryption.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        {
          expiration: props.accessLogRetention ?? Duration.days(365),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      removalPolicy,
    });
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'recordings/',
      lifecycleRules: [
        {
          id: 'Retention',
          expiration: props.retention,
          // A version replaced or deleted (including by the expiration above) goes a day later.
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });

    this.writers = new Group(this, 'TwilioWriters');
    const region = Stack.of(this).region;
    new ManagedPolicy(this, 'TwilioPutOnly', {
      description: 'Twilio Video external storage: put recordings, nothing else',
      groups: [this.writers],
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(`${RECORDINGS_PREFIX}/*`)],
        }),
        // SSE-KMS: a put needs a data key (and Decrypt to complete a multipart upload), only via S3.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
      ],
    });
    this.writer = new User(this, 'TwilioWriter', { groups: [this.writers] });

    this.s3Url = `https://${this.bucket.bucketRegionalDomainName}/${RECORDINGS_PREFIX}`;
  }
}
