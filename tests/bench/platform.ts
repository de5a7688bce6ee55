import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { launchPlatform } from '../integration/launch';
import { rememberTotpSecret } from '../e2e/helpers';

/**
 * A private local platform for one bench script, in a fresh data directory. The seeded staff's
 * authenticator secrets are this platform's, so the e2e API helpers can sign them in.
 */
export async function benchPlatform(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `telehealth-bench-${name}-`));
  const platform = await launchPlatform(dataDir, undefined, { POWERTOOLS_LOG_LEVEL: 'WARN' });
  const { demoTotpSecrets } = JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8')) as {
    demoTotpSecrets: Record<'admin' | 'doctor', string>;
  };
  rememberTotpSecret(DEMO_USERS.admin.email, demoTotpSecrets.admin);
  rememberTotpSecret(DEMO_USERS.doctor.email, demoTotpSecrets.doctor);
  return {
    platform,
    async stop() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
