import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, NestedStack, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './constructs/project-function';
import { nagPacks } from './nag-packs';
import { TelehealthStack } from './telehealth-stack';

// One synthesis for the file: the stack in each configuration that changes what cdk-nag sees.
// Bundling is skipped (placeholder Lambda assets), as in telehealth-stack.test.ts.
const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'telehealth-nag-site-'));
fs.writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><title>t</title>');
const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context?: Record<string, unknown>;
};
const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
const account = '111111111111';
const CERTIFICATE_ARN = `arn:aws:acm:us-east-1:${account}:certificate/11111111-2222-3333-4444-555555555555`;
const WEB_ACL_ARN = `arn:aws:wafv2:us-east-1:${account}:global/webacl/telehealth-site/abcd`;

const configurations = {
  /** The default deploy outside us-east-1. */
  default: new TelehealthStack(app, 'NagDefault', {
    env: { account, region: 'eu-central-1' },
    webDistDir: siteDir,
  }),
  /** `cdk synth` without credentials (CI). */
  agnostic: new TelehealthStack(app, 'NagAgnostic', { webDistDir: siteDir }),
  /** us-east-1: its own CloudFront web ACL and DNS-validated certificate; threat protection on. */
  usEast1: new TelehealthStack(app, 'NagUsEast1', {
    env: { account, region: 'us-east-1' },
    webDistDir: siteDir,
    threatProtection: true,
    domain: {
      domainName: 'care.example.org',
      hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.org' },
    },
  }),
  /** Elsewhere with a web ACL and a certificate made in us-east-1, Twilio video and recordings. */
  byArn: new TelehealthStack(app, 'NagByArn', {
    env: { account, region: 'eu-west-1' },
    webDistDir: siteDir,
    cloudFrontWebAclArn: WEB_ACL_ARN,
    domain: { domainName: 'care.example.org', certificateArn: CERTIFICATE_ARN },
    videoProvider: 'twilio',
    recording: { retention: Duration.days(90), awsCredentialsSid: `CR${'a'.repeat(32)}` },
  }),
  /** A staging-like stage: canary, SES email, locked and copied backups, an adopted (restored) table. */
  staged: new TelehealthStack(app, 'NagStaged', {
    env: { account, region: 'eu-central-1' },
    webDistDir: siteDir,
    stage: 'staging',
    alarmEmail: 'ops@example.org',
    canary: true,
    email: { fromEmail: 'no-reply@example.org', fromName: 'Telehealth' },
    backupVaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(400) },
    backupCopy: { destinationVaultArn: `arn:aws:backup:eu-west-1:${account}:backup-vault:telehealth-copy` },
    adoptTable: {
      tableName: 'telehealth-restored',
      keyArn: `arn:aws:kms:eu-central-1:${account}:key/11111111-2222-3333-4444-555555555555`,
    },
  }),
};
const assembly = app.synth();
afterAll(() => {
  fs.rmSync(siteDir, { recursive: true, force: true });
  fs.rmSync(assembly.directory, { recursive: true, force: true });
});

/** Every finding the packs report on `stack`, one line each: `<rule> <construct path>`. */
function findings(stack: Stack): string[] {
  return nagPacks().flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}: ${v.description}`),
      ),
  );
}

const distributionConfig = (stack: Stack) =>
  Template.fromStack(stack).findResources('AWS::CloudFront::Distribution')[
    stack.getLogicalId((stack as TelehealthStack).web.distribution.node.defaultChild as CfnElement)
  ]!.Properties.DistributionConfig as Record<string, any>;

describe('cdk-nag (AwsSolutions, HIPAA Security)', () => {
  it('reports findings on a stack that breaks its rules (the check is live)', () => {
    const bare = new Stack(new App(), 'Bare');
    new Bucket(bare, 'Unlogged');
    expect(findings(bare)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error AwsSolutions-S1 Bare\/Unlogged/),
        expect.stringMatching(/^error HIPAA\.Security-S3BucketLoggingEnabled Bare\/Unlogged/),
      ]),
    );
  });

  it('reports findings inside a nested stack too (the REST routes live in them)', () => {
    const bare = new Stack(new App(), 'Bare');
    new Bucket(new NestedStack(bare, 'Inner'), 'Unlogged');
    expect(findings(bare)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^error AwsSolutions-S1 Bare\/Inner\/Unlogged/)]),
    );
    for (const stack of Object.values(configurations)) {
      for (const routes of Object.values(stack.restApi.routes)) {
        expect(routes.nested).toBe(true);
        expect(routes.node.scope?.node.scope).toBe(stack);
      }
    }
  });

  it.each(Object.entries(configurations))(
    '%s: every finding is fixed or acknowledged with a reason',
    (_name, stack) => {
      expect(findings(stack)).toEqual([]);
    },
  );
});

describe('CloudFront web ACL, domain and TLS', () => {
  it('in us-east-1, puts the stack’s own CLOUDFRONT web ACL on the distribution', () => {
    const stack = configurations.usEast1;
    const acl = stack.siteFirewall!.webAcl;
    expect(acl.scope).toBe('CLOUDFRONT');
    expect(distributionConfig(stack).WebACLId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(acl), 'Arn'] });
  });

  it('elsewhere, uses the web ACL given by ARN and creates none of its own', () => {
    const stack = configurations.byArn;
    expect(stack.siteFirewall).toBeUndefined();
    expect(distributionConfig(stack).WebACLId).toBe(WEB_ACL_ARN);
    const scopes = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL')).map(
      (r) => r.Properties.Scope,
    );
    expect(scopes).toEqual(['REGIONAL']);
  });

  it('serves a configured domain with TLS 1.2 (2021 policy) and allows it as the API origin', () => {
    for (const stack of [configurations.usEast1, configurations.byArn]) {
      const config = distributionConfig(stack);
      expect(config.Aliases).toEqual(['care.example.org']);
      expect(config.ViewerCertificate).toMatchObject({
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      });
      expect(stack.web.origin).toBe('https://care.example.org');
    }
    expect(distributionConfig(configurations.byArn).ViewerCertificate.AcmCertificateArn).toBe(
      CERTIFICATE_ARN,
    );
    const usEast1 = Template.fromStack(configurations.usEast1);
    usEast1.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'care.example.org',
      ValidationMethod: 'DNS',
    });
    for (const type of ['A', 'AAAA']) {
      usEast1.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'care.example.org.',
        Type: type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      });
    }
  });

  it('refuses a domain it cannot get a us-east-1 certificate for', () => {
    expect(
      () =>
        new TelehealthStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'NoCertificate', {
          env: { account, region: 'eu-central-1' },
          webDistDir: siteDir,
          domain: {
            domainName: 'care.example.org',
            hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.org' },
          },
        }),
    ).toThrow(/needs a certificate ARN/);
    expect(
      () =>
        new TelehealthStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'WrongRegion', {
          env: { account, region: 'eu-central-1' },
          webDistDir: siteDir,
          domain: {
            domainName: 'care.example.org',
            certificateArn: CERTIFICATE_ARN.replace('us-east-1', 'eu-central-1'),
          },
        }),
    ).toThrow(/us-east-1 only/);
  });
});

describe('Cognito threat protection', () => {
  it('puts the pool on the Plus plan with standard threat protection enforced when switched on', () => {
    const pools = Object.values(
      Template.fromStack(configurations.usEast1).findResources('AWS::Cognito::UserPool'),
    );
    expect(pools.map((p) => [p.Properties.UserPoolTier, p.Properties.UserPoolAddOns])).toEqual([
      ['PLUS', { AdvancedSecurityMode: 'ENFORCED' }],
    ]);
  });
});
