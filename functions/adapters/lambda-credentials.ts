/**
 * The AWS SDK's credentials in a Lambda bundle: the execution role's keys, which the Lambda
 * runtime always puts in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN). Every SDK client's runtime configuration imports `defaultProvider` from
 * `@aws-sdk/credential-provider-node` (the default chain: env, SSO, ini files, process, web
 * identity, ECS/IMDS, with the STS and SSO clients it needs, ~130 KB minified); Lambda bundles
 * alias that package to this module (LAMBDA_BUNDLE.alias in infra/aws/constructs/project-function.ts),
 * so only the environment step ships. Outside Lambda bundles (the local platform, tests, scripts)
 * nothing imports this file and the SDK keeps its full chain. See docs/adr/0018-cold-start.md.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** Same signature as the default chain's `defaultProvider(init)`: a provider of env credentials. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
