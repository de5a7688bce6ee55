// Node 20 is supported on purpose (Lambda runs 24); the SDK's notice about 2027 is not news to users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { resolve } from 'node:path';
import { DEMO_USERS } from './demo-users';
import { localSettingsFrom, startPlatform } from './platform';
import { PortInUse, portsFromEnv } from './ports';

const dataDir = resolve(process.env.DATA_DIR ?? '.data');

try {
  const platform = await startPlatform({
    ports: portsFromEnv(),
    dataDir,
    reminderPollMs: Number(process.env.REMINDER_POLL_MS ?? 5000),
    settings: localSettingsFrom(process.env),
  });
  const lines = [
    '',
    `Telehealth is running at ${platform.url}`,
    `  data: ${dataDir}${platform.seededNow ? ' (new: demo accounts created)' : ' (reused)'}`,
    '',
    '  Demo logins (local only):',
    `    doctor   ${DEMO_USERS.doctor.email}   ${DEMO_USERS.doctor.password}`,
    `    patient  ${DEMO_USERS.patient.email}  ${DEMO_USERS.patient.password}`,
    `    admin    ${DEMO_USERS.admin.email}    ${DEMO_USERS.admin.password}`,
    '',
    ...(platform.demoTotpSecrets
      ? [
          '  The demo doctor and admin sign in with an authenticator app (TOTP). Add these keys to one',
          '  (Google Authenticator, 1Password, `oathtool --totp -b <key>`...):',
          `    doctor   ${platform.demoTotpSecrets.doctor}`,
          `    admin    ${platform.demoTotpSecrets.admin}`,
          '',
        ]
      : []),
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Never leave cognito-local running without us.
  const fatal = async (err: unknown) => {
    console.error(`The local platform stopped after an unexpected error: ${(err as Error)?.name ?? 'error'}`);
    await platform.stop().catch(() => undefined);
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
} catch (err) {
  if (err instanceof PortInUse) {
    console.error(err.message);
  } else {
    console.error(`The local platform could not start: ${(err as Error).message}`);
  }
  process.exit(1);
}
