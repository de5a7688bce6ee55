/**
 * Runs the handler modules as Lambda would: loaded once each, called with a Lambda-like context. The
 * platform hands each module its area's dependencies (`create(deps)`); nothing goes through
 * `process.env`.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Area } from '../../../functions/adapters/wiring/area';
import type { HandlerModule } from '../../../functions/adapters/wiring/lambda';

export type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;
export type HandlerLoader = (name: string) => Promise<AnyHandler>;
/** The platform's composition of an area, built once per platform instance. */
export type DepsFor = (area: Area<unknown>) => unknown;

const handlersDir = resolve(import.meta.dirname, '../../../functions/handlers');

/** The same handler modules the CDK bundles into Lambdas, each created once on the platform's deps. */
export function handlerLoader(depsFor: DepsFor): HandlerLoader {
  const handlerCache = new Map<string, Promise<AnyHandler>>();
  return (name) => {
    let loaded = handlerCache.get(name);
    if (!loaded) {
      loaded = import(pathToFileURL(join(handlersDir, `${name}.ts`)).href).then(
        (mod: HandlerModule<unknown, AnyHandler>) => mod.create(depsFor(mod.area)),
      );
      handlerCache.set(name, loaded);
    }
    return loaded;
  };
}

export function lambdaContext(name: string): Context {
  const requestId = randomUUID();
  return {
    awsRequestId: requestId,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
