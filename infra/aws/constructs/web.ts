import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Arn, ArnFormat, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AaaaRecord, ARecord, HostedZone, RecordTarget, type IHostedZone } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { WebConfig } from '../../../shared/api';
import { PRACTICE_FILES, PRACTICE_PATH, type PracticeFile } from '../../../shared/practice';
import { WEB_MANIFEST_PATH, webManifest } from '../../practice';

export interface WebProps {
  /**
   * The built web app (web/dist). When it does not exist, an empty directory is deployed without
   * pruning, so synth works before `npm run build:web` and such a deploy leaves the live site as is.
   */
  readonly siteDir: string;
  /** The region whose Cognito endpoint the browser talks to. */
  readonly region: string;
  /** A WAFv2 web ACL of scope CLOUDFRONT (it lives in us-east-1). @default - none */
  readonly webAclArn?: string;
  /** Serve the app under its own name. @default - the distribution's cloudfront.net name */
  readonly domain?: WebDomain;
}

/**
 * The web app's own domain. CloudFront needs the certificate in us-east-1: give its ARN, or a
 * hosted zone when the stack itself is in us-east-1 (a DNS-validated certificate is created).
 * With a hosted zone, A and AAAA alias records point the name at the distribution.
 */
export interface WebDomain {
  /** e.g. `care.example.org` */
  readonly domainName: string;
  /** An ACM certificate in us-east-1 covering `domainName`. */
  readonly certificateArn?: string;
  /** The Route 53 zone holding `domainName`. */
  readonly hostedZone?: { readonly hostedZoneId: string; readonly zoneName: string };
}

const CONFIG_OBJECT = 'config.json';
const MANIFEST_OBJECT = WEB_MANIFEST_PATH.slice(1);
/** PRACTICE_PATH as an S3 key prefix. */
const PRACTICE_PREFIX = PRACTICE_PATH.slice(1);

/** An empty directory outside the repository, standing in for a missing web build. */
function emptySiteDir(): string {
  const dir = path.join(os.tmpdir(), 'telehealth-cdk-empty-site');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The SolidJS app: a private bucket behind CloudFront (origin access control), SPA fallback to
 * index.html, strict security headers, and /config.json written from the stack's outputs.
 */
export class Web extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** Only with a domain: what viewers' TLS is terminated with (TLS 1.2 or later). */
  readonly certificate?: ICertificate;
  /** `https://<domain name>` or `https://<distribution domain>`: the origin the APIs allow. */
  readonly origin: string;
  private readonly connectSources: string[] = [];
  private configPublished = false;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Telehealth web app: strict security headers',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: {
          // The API and WebSocket origins exist only after this policy; they are filled in at synth.
          contentSecurityPolicy: Lazy.string({ produce: () => this.contentSecurityPolicy(props.region) }),
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(self), microphone=(self), geolocation=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior: BehaviorOptions = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: true,
    };
    const zone = props.domain?.hostedZone
      ? HostedZone.fromHostedZoneAttributes(this, 'Zone', props.domain.hostedZone)
      : undefined;
    this.certificate = props.domain ? this.domainCertificate(props.domain, zone) : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Telehealth web app',
      defaultRootObject: 'index.html',
      defaultBehavior: behavior,
      // The settings must never be served stale after a deploy.
      additionalBehaviors: {
        [`/${CONFIG_OBJECT}`]: { ...behavior, cachePolicy: CachePolicy.CACHING_DISABLED },
      },
      // Client-side routes: S3 answers 403 (no ListBucket) for paths that are not objects.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(props.domain && this.certificate
        ? {
            domainNames: [props.domain.domainName],
            certificate: this.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (props.domain && zone) {
      const target = RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
      const record = { zone, recordName: props.domain.domainName, target };
      new ARecord(this, 'AliasA', record);
      new AaaaRecord(this, 'AliasAAAA', record);
    }
    this.origin = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;
    this.node.addValidation({
      validate: () =>
        this.configPublished ? [] : ['Web: publishConfig() was never called, so there is no /config.json'],
    });

    const siteExists = fs.existsSync(path.join(props.siteDir, 'index.html'));
    new BucketDeployment(this, 'DeploySite', {
      sources: [Source.asset(siteExists ? props.siteDir : emptySiteDir())],
      destinationBucket: this.bucket,
      // config.json and the practice's files belong to the other deployments; excluded files are
      // also spared by pruning.
      exclude: [CONFIG_OBJECT, `${PRACTICE_PREFIX}/*`, MANIFEST_OBJECT],
      prune: siteExists,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
  }

  /**
   * Lets the web app's scripts open connections to `origins` (CSP connect-src). WebRTC media and
   * STUN/TURN are outside CSP; this is about fetch, XHR and WebSocket.
   */
  allowConnectTo(...origins: string[]): void {
    this.connectSources.push(...origins);
  }

  /** Serves `config` as /config.json, never cached for long. */
  publishConfig(config: WebConfig): BucketDeployment {
    if (this.configPublished) throw new Error('Web: the config is published once');
    this.configPublished = true;
    const deployment = new BucketDeployment(this, 'DeployConfig', {
      sources: [Source.jsonData(CONFIG_OBJECT, config)],
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [CacheControl.noCache()],
      // Same size as the site deployment, so both share one deployment function.
      memoryLimit: 512,
      contentType: 'application/json',
      distribution: this.distribution,
      distributionPaths: [`/${CONFIG_OBJECT}`],
    });
    // The site deployment must not run after this one and race it for the bucket.
    const site = this.node.findChild('DeploySite');
    deployment.node.addDependency(site);
    return deployment;
  }

  /**
   * Serves the practice's logo and legal texts (shared/practice.ts) under /practice/, from its
   * directory, so swapping the practice needs no rebuild of the web app.
   */
  publishPractice(dir: string, practice: PracticeFile): BucketDeployment {
    const deployment = new BucketDeployment(this, 'DeployPractice', {
      sources: [Source.asset(dir, { exclude: ['*', ...PRACTICE_FILES.map((name) => `!${name}`)] })],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${PRACTICE_PREFIX}/`,
      // The files have fixed names: each deploy overwrites them.
      prune: false,
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 512,
      distribution: this.distribution,
      distributionPaths: [`/${PRACTICE_PREFIX}/*`],
    });
    deployment.node.addDependency(this.node.findChild('DeploySite'));
    // The manifest names the installed app after the practice (shared/practice.ts).
    const manifest = new BucketDeployment(this, 'DeployManifest', {
      sources: [Source.jsonData(MANIFEST_OBJECT, webManifest(practice))],
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 512,
      contentType: 'application/manifest+json',
      distribution: this.distribution,
      distributionPaths: [WEB_MANIFEST_PATH],
    });
    manifest.node.addDependency(this.node.findChild('DeploySite'));
    return deployment;
  }

  private domainCertificate(domain: WebDomain, zone: IHostedZone | undefined): ICertificate {
    if (domain.certificateArn) {
      const { region } = Arn.split(domain.certificateArn, ArnFormat.SLASH_RESOURCE_NAME);
      if (!Token.isUnresolved(domain.certificateArn) && region !== 'us-east-1') {
        throw new Error(`Web: CloudFront takes certificates from us-east-1 only, not ${region}`);
      }
      return Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn);
    }
    if (zone && Stack.of(this).region === 'us-east-1') {
      return new Certificate(this, 'Certificate', {
        domainName: domain.domainName,
        validation: CertificateValidation.fromDns(zone),
      });
    }
    throw new Error(
      `Web: ${domain.domainName} needs a certificate ARN (ACM, us-east-1), or a hosted zone with the stack in us-east-1`,
    );
  }

  private contentSecurityPolicy(region: string): string {
    const connect = ["'self'", `https://cognito-idp.${region}.amazonaws.com`, ...this.connectSources];
    return [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      // Calls attach MediaStreams through srcObject, which CSP does not govern; nothing needs mediastream:.
      "media-src 'self' blob:",
      "font-src 'self'",
      `connect-src ${connect.join(' ')}`,
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');
  }
}
