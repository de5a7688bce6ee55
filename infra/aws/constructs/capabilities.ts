import type { Duration } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Capability } from '../../../functions/routes';

/**
 * What a function gets for one capability its route declares (`uses` in functions/routes.ts):
 * grants and the environment naming the resources. Provider selectors (SMS_PROVIDER, VIDEO_PROVIDER,
 * …) are not bound here: every function has them, so none silently falls back to a local default.
 */
export interface CapabilityBinding {
  /** Adds the grants and environment the capability needs. */
  bind(fn: LambdaFunction): void;
  /** The least timeout a function using the capability needs. @default - the function default */
  readonly minTimeout?: Duration;
}

/** One binding per capability: the compiler insists a new capability gets one. */
export type Capabilities = Readonly<Record<Capability, CapabilityBinding>>;

/** The longest `minTimeout` of `uses`, or undefined when none asks for one. */
export function timeoutFor(uses: readonly Capability[], capabilities: Capabilities): Duration | undefined {
  let longest: Duration | undefined;
  for (const capability of uses) {
    const needed = capabilities[capability].minTimeout;
    if (needed && (!longest || needed.toMilliseconds() > longest.toMilliseconds())) longest = needed;
  }
  return longest;
}

/** Binds each capability of `uses` once, after checking the function's timeout is long enough. */
export function bindCapabilities(
  fn: LambdaFunction,
  uses: readonly Capability[],
  capabilities: Capabilities,
): void {
  for (const capability of new Set(uses)) {
    const binding = capabilities[capability];
    const needed = binding.minTimeout;
    if (needed && fn.timeout && fn.timeout.toMilliseconds() < needed.toMilliseconds()) {
      throw new Error(
        `${fn.node.path}: capability '${capability}' needs a timeout of at least ${needed.toSeconds()} s`,
      );
    }
    binding.bind(fn);
  }
}
