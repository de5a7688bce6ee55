/** Runs the handler modules as Lambda would: loaded once each, called with a Lambda-like context. */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

export type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

const handlersDir = resolve(import.meta.dirname, '../../../functions/handlers');
const handlerCache = new Map<string, Promise<AnyHandler>>();

/** The same handler modules the CDK bundles into Lambdas, loaded once each. */
export function loadHandler(name: string): Promise<AnyHandler> {
  let loaded = handlerCache.get(name);
  if (!loaded) {
    loaded = import(pathToFileURL(join(handlersDir, `${name}.ts`)).href).then((m) => m.handler as AnyHandler);
    handlerCache.set(name, loaded);
  }
  return loaded;
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
