/** How a handler module meets its composition, in Lambda and on the local platform. */
import { loadConfig, runningOnLambda } from '../../lib/config';
import type { Area } from './area';

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
 * This is the one place a handler module looks at its environment when it is imported: the Lambda
 * runtime sets `AWS_LAMBDA_FUNCTION_NAME`, and there the handler is composed at once from
 * `loadConfig()` (the process's environment), so a missing or malformed setting fails the cold start with a
 * ConfigurationError naming the variable. Anywhere else (the local platform importing the module
 * for `create`, a bundle run under plain Node) nothing is read until `handler` is first called.
 */
export function lambdaHandler<Deps, Handler extends (...args: any[]) => any>(
  area: Area<Deps>,
  create: (deps: Deps) => Handler,
  /** The environment; the process's unless a test gives one (config.ts reads `process.env`). */
  env?: Env,
): HandlerModule<Deps, Handler> {
  let composed: Handler | undefined;
  const compose = () => (composed ??= create(area.compose(loadConfig(env))));
  if (runningOnLambda(env)) compose();
  return {
    area,
    create,
    handler: (...args) => compose()(...args) as ReturnType<Handler>,
  };
}
