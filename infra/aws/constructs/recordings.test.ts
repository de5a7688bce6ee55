import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RECORDINGS_PREFIX, Recordings } from './recordings';

const stack = new Stack(new App(), 'RecordingsTest', {
  env: { account: '111111111111', region: 'eu-west-2' },
});
const recordings = new Recordings(stack, 'Recordings', { retention: Duration.days(90) });
const t = Template.fromStack(stack);
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const bucketId = idOf(recordings.bucket);
const keyId = idOf(recordings.key);

describe('recordings storage', () => {
  it('encrypts with its own rotating customer-managed key, bucket keys on', () => {
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      },
    });
  });

  it('is private, versioned, ACL-free, and logs its access to a bucket of its own', () => {
    const bucket = t.toJSON().Resources[bucketId].Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: idOf(recordings.accessLogs) },
      LogFilePrefix: 'recordings/',
    });
  });

  it('deletes recordings after the retention (and replaced versions a day later)', () => {
    const bucket = t.toJSON().Resources[bucketId].Properties;
    expect(bucket.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        Id: 'Retention',
        Status: 'Enabled',
        ExpirationInDays: 90,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    ]);
  });

  it('refuses every request that is not over TLS', () => {
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets Twilio’s writer put recordings under the prefix, and nothing else', () => {
    const policies = Object.values(t.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(1);
    const policy = policies[0]!.Properties;
    expect(policy.Groups).toEqual([{ Ref: idOf(recordings.writers) }]);
    expect(policy.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${RECORDINGS_PREFIX}/*`]] },
      },
      {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } },
      },
    ]);
    // The writer holds no policy of its own and no access key is made: ops create one for Twilio.
    t.hasResourceProperties('AWS::IAM::User', {
      Groups: [{ Ref: idOf(recordings.writers) }],
      Policies: Match.absent(),
      ManagedPolicyArns: Match.absent(),
    });
    expect(t.findResources('AWS::IAM::AccessKey')).toEqual({});
    expect(t.findResources('AWS::IAM::Policy')).toEqual({});
  });

  it('keeps recordings, logs and key when they leave the stack', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key'])
      for (const resource of Object.values(t.findResources(type)))
        expect(resource.DeletionPolicy, type).toBe('Retain');
  });

  it('tells Twilio where to write: the bucket’s regional URL and the prefix', () => {
    expect(stack.resolve(recordings.s3Url)).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] }, `/${RECORDINGS_PREFIX}`],
      ],
    });
  });
});
