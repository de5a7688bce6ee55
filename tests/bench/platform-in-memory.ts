/**
 * The local platform as `npm start` runs it, but with DynamoDB Local in memory (as the integration
 * suite runs it): the WebSocket bench measures the platform's handling of frames, not the
 * emulator's SQLite file on a disk the machine's other work shares.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { resolve } from 'node:path';
import { localSettingsFrom, startPlatform } from '../../infra/local/platform';
import { portsFromEnv } from '../../infra/local/ports';

const platform = await startPlatform({
  ports: portsFromEnv(),
  dataDir: resolve(process.env.DATA_DIR ?? '.tmp/bench-data'),
  inMemoryDatabase: true,
  settings: localSettingsFrom(process.env),
});
console.log(`Telehealth is running at ${platform.url}`);
const shutdown = async () => {
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
