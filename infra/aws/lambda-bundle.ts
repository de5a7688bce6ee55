/**
 * The Lambda bundles as ProjectFunction builds them (same esbuild settings), for the bundle budget
 * test and the cold-start benchmark, and the list of every function the stacks deploy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { cognitoTriggers, httpRouteList, jobs, wsAuthorizer, wsRouteList } from '../../functions/routes';
import { LAMBDA_BUNDLE, REPO_ROOT } from './constructs/project-function';

export interface LambdaBundle {
  readonly file: string;
  readonly bytes: number;
  /** The source files and packages esbuild took in (paths relative to the repository). */
  readonly inputs: readonly string[];
}

export type FunctionKind = 'http' | 'websocket' | 'job' | 'trigger';

/** Every deployed function's handler file (functions/handlers/<handler>.ts) and what invokes it. */
export function deployedHandlers(): { handler: string; kind: FunctionKind }[] {
  return [
    ...httpRouteList.filter((r) => !r.localOnly).map((r) => ({ handler: r.handler, kind: 'http' as const })),
    ...wsRouteList.map((r) => ({ handler: r.handler, kind: 'websocket' as const })),
    { handler: wsAuthorizer.handler, kind: 'websocket' as const },
    ...Object.values(jobs).map((j) => ({ handler: j.handler, kind: 'job' as const })),
    ...Object.values(cognitoTriggers).map((t) => ({ handler: t.handler, kind: 'trigger' as const })),
  ];
}

/**
 * Bundles `entry` to `outfile` with ProjectFunction's options (minified ESM, nothing external, the
 * source map written beside it without sources, as the deployed asset holds it). `alias` is
 * ProjectFunction's unless given: the cold-start reference is bundled without it, as a
 * conventional handler is.
 */
export async function buildLambdaBundle(
  entry: string,
  outfile: string,
  alias: Readonly<Record<string, string>> = LAMBDA_BUNDLE.alias,
): Promise<LambdaBundle> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLE.target,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    alias: { ...alias },
    absWorkingDir: REPO_ROOT,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    write: true,
    logLevel: 'silent',
  });
  return {
    file: outfile,
    bytes: fs.statSync(outfile).size,
    inputs: Object.keys((result.metafile as Metafile).inputs),
  };
}

/** The handler's bundle, as ProjectFunction builds it for `handler`. */
export function buildHandlerBundle(handler: string, outdir: string): Promise<LambdaBundle> {
  return buildLambdaBundle(
    path.join(REPO_ROOT, 'functions', 'handlers', `${handler}.ts`),
    path.join(outdir, handler, 'index.mjs'),
  );
}
