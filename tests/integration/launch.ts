import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../../infra/local/ports';

const root = resolve(import.meta.dirname, '../..');

export interface LaunchedPlatform {
  url: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
  ports: { gateway: number; dynamodb: number; cognito: number };
  logFile: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts `infra/local/main.ts` — what `npm start` runs — (or another entry that calls
 * `startPlatform`) as a child process and waits until it serves.
 */
export async function launchPlatform(
  dataDir: string,
  ports?: { gateway: number; dynamodb: number; cognito: number },
  env: Record<string, string> = {},
  entry = 'infra/local/main.ts',
): Promise<LaunchedPlatform> {
  const chosen = ports ?? {
    gateway: await freePort(),
    dynamodb: await freePort(),
    cognito: await freePort(),
  };
  const logFile = join(dataDir, 'platform.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(chosen.gateway),
      DYNAMODB_PORT: String(chosen.dynamodb),
      COGNITO_PORT: String(chosen.cognito),
      DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const url = `http://127.0.0.1:${chosen.gateway}`;
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform did not start:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('Telehealth is running at')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`platform exited with ${code}:\n${output}`), { exitCode: code, output }),
      );
    });
  });

  return {
    url,
    cognitoEndpoint: `http://127.0.0.1:${chosen.cognito}`,
    dynamodbEndpoint: `http://127.0.0.1:${chosen.dynamodb}`,
    ports: chosen,
    logFile,
    child,
    output: () => output,
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) return resolveStop(child.exitCode);
        child.once('exit', (code) => {
          log.end();
          resolveStop(code);
        });
        child.kill('SIGINT');
      }),
  };
}
