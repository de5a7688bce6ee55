/** How a handler module meets its composition, in Lambda and on the local platform. */
import { loadConfig, loadTriggerConfig, type TriggerConfig } from '../../lib/config';
import type { Area, Overrides } from './area';

type Env = Readonly<Record<string, string | undefined>>;

export interface HandlerModule<Deps, Handler extends (...args: any[]) => any> {
  /** The composition this handler needs; the local platform builds it once per instance. */
  area: Area<Deps>;
  /** Builds the handler on given dependencies (the local platform's, a test's). */
  create: (deps: Deps) => Handler;
  /** The Lambda entry point, composed from the function's environment. */
  handler: (...args: Parameters<Handler>) => ReturnType<Handler>;
}

/**
 * `export const { area, create, handler } = lambdaHandler(appointmentsArea, (deps) => http(...))`.
 *
 * This is the one place a handler module looks at `process.env` when it is imported: the Lambda
 * runtime sets `AWS_LAMBDA_FUNCTION_NAME`, and there the handler is composed at once from
 * `loadConfig(process.env)`, so a missing or malformed setting fails the cold start with a
 * ConfigurationError naming the variable. Anywhere else (the local platform importing the module
 * for `create`, a bundle run under plain Node) nothing is read until `handler` is first called.
 */
export function lambdaHandler<Deps, Handler extends (...args: any[]) => any>(
  area: Area<Deps>,
  create: (deps: Deps) => Handler,
  env: Env = process.env,
): HandlerModule<Deps, Handler> {
  let composed: Handler | undefined;
  const compose = () => (composed ??= create(area.compose(loadConfig(env))));
  if (env.AWS_LAMBDA_FUNCTION_NAME) compose();
  return {
    area,
    create,
    handler: (...args) => compose()(...args) as ReturnType<Handler>,
  };
}

/** An area a user-pool trigger is composed from: the region (and locally cognito-local) only. */
export interface TriggerArea<Deps> extends Area<Deps> {
  compose(config: TriggerConfig, overrides?: Overrides): Deps;
}

/** `lambdaHandler` for user-pool triggers, composed from `loadTriggerConfig` (see there why). */
export function triggerHandler<Deps, Handler extends (...args: any[]) => any>(
  area: TriggerArea<Deps>,
  create: (deps: Deps) => Handler,
  env: Env = process.env,
): HandlerModule<Deps, Handler> {
  let composed: Handler | undefined;
  const compose = () => (composed ??= create(area.compose(loadTriggerConfig(env))));
  if (env.AWS_LAMBDA_FUNCTION_NAME) compose();
  return { area, create, handler: (...args) => compose()(...args) as ReturnType<Handler> };
}
