import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Capability } from '../../../functions/routes';

/**
 * What a function gets for one capability its route declares (`uses` in functions/routes.ts):
 * grants and the environment naming the resources. Provider selectors (SMS_PROVIDER, VIDEO_PROVIDER,
 * …) are not bound here: every function has them, so none silently falls back to a local default.
 * No capability lengthens a timeout: what is slow (sending texts) happens off the request path.
 */
export interface CapabilityBinding {
  /** Adds the grants and environment the capability needs. */
  bind(fn: LambdaFunction): void;
}

/** One binding per capability: the compiler insists a new capability gets one. */
export type Capabilities = Readonly<Record<Capability, CapabilityBinding>>;

/** Binds each capability of `uses` once. */
export function bindCapabilities(
  fn: LambdaFunction,
  uses: readonly Capability[],
  capabilities: Capabilities,
): void {
  for (const capability of new Set(uses)) capabilities[capability].bind(fn);
}
