import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root: infra/aws/constructs/ is three levels below it. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The esbuild settings of every Lambda bundle, shared with the bundle-size test so the budget is
 * measured on exactly what ships.
 */
export const LAMBDA_BUNDLE = {
  target: 'node24',
  /** Prefer the ESM builds of dependencies (the AWS SDK ships both): they tree-shake far better. */
  mainFields: ['module', 'main'],
  /** Some CommonJS dependencies call `require` for Node built-ins; ESM output has no `require`. */
  banner: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
  /**
   * On Lambda the SDK's credentials always come from the environment: the default credential chain
   * (SSO, ini files, process, web identity, ECS/IMDS and the STS/SSO clients behind them, ~130 KB in
   * every bundle) is replaced by its environment step (functions/adapters/lambda-credentials.ts).
   * Paths are relative to the repository root, esbuild's working directory. docs/adr/0018-cold-start.md.
   */
  alias: { '@aws-sdk/credential-provider-node': './functions/adapters/lambda-credentials.ts' },
} as const;

export interface ProjectFunctionProps {
  /** File name under functions/handlers/ without `.ts`, as in functions/routes.ts. */
  readonly handler: string;
  /** Only where something outside the stack must know the name in advance. @default - generated */
  readonly functionName?: string;
  readonly description?: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 MiB */
  readonly memorySize?: number;
  /** Caps how many instances run at once. @default - none: the account's pool */
  readonly reservedConcurrentExecutions?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * The one place that owns the Lambda defaults: Node.js 24 on arm64, ESM bundles built by the local
 * esbuild (never Docker), a source map beside each bundle for offline stack traces, Lambda active tracing (no X-Ray SDK in the bundle) and a log group with retention.
 * Its role may write to that log group only, instead of AWSLambdaBasicExecutionRole's logs on `*`.
 */
export class ProjectFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    // Created before super() can use `this`; scoped to the parent so ids stay unique per function.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Logs can outlive a stack replacement: they are evidence when something went wrong.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.handler}`,
    });
    // logs:CreateLogStream and logs:PutLogEvents on this group (its Arn ends with `:*`) only.
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: path.join(REPO_ROOT, 'functions', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      ...(props.functionName ? { functionName: props.functionName } : {}),
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      // No NODE_OPTIONS=--enable-source-maps: it costs ~20 % of every cold start. The bundle's
      // .map file ships in the asset and maps a logged stack trace offline (docs/operations.md).
      ...(props.environment ? { environment: { ...props.environment } } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        // Run by CDK's local esbuild in projectRoot (REPO_ROOT), where the alias paths are rooted.
        esbuildArgs: {
          '--alias': Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => `${from}=${to}`),
        },
        minify: true,
        sourceMap: true,
        // Mappings are enough for readable stack traces; embedding the sources would double the asset.
        sourcesContent: false,
        // The SDK is bundled rather than taken from the runtime: the handlers then run exactly the
        // @aws-sdk versions pinned in package-lock.json and tested locally, not whatever version the
        // Node.js 24 runtime happens to carry, and esbuild keeps only the clients and commands a
        // handler imports (get-me is ~300 KB minified; the budget is asserted in the CDK tests).
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
      },
    });
  }
}
