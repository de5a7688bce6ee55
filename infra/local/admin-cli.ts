/**
 * Admin tasks from the command line.
 *
 *   npm run admin -- create-doctor --email dr@example.com --name "Dr. Jo Bloggs" --specialty Cardiology
 *
 * By default it talks to the local platform started by `npm start` (its .data/ and ports). Pass
 * --user-pool-id and --table (and --region) to act on a deployed stack with your AWS credentials.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { composeAccounts } from '../../functions/adapters/wiring/accounts';
import { createDoctor } from '../../functions/core/accounts';
import { DomainError } from '../../functions/core/errors';
import { loadConfig } from '../../functions/lib/config';
import { CreateDoctorRequest, fieldErrors } from '../../shared/schemas';
import { TABLE_NAME } from './table-name';
import { portsFromEnv } from './ports';
import { loadPracticeDir } from '../practice';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage:
  npm run admin -- create-doctor --email <email> --name <full name> --specialty <specialty>
      [--user-pool-id <id> --table <name> [--region <region>]]   (deployed stack instead of local)`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    specialty: { type: 'string' },
    'user-pool-id': { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    help: { type: 'boolean' },
  },
});

if (values.help || positionals[0] !== 'create-doctor') fail(usage, values.help ? 0 : 2);

const parsed = v.safeParse(CreateDoctorRequest, {
  email: values.email,
  name: values.name,
  specialty: values.specialty,
});
if (!parsed.success) {
  const problems = Object.entries(fieldErrors(parsed.issues)).map(
    ([field, message]) => `  --${field}: ${message}`,
  );
  fail(`${problems.join('\n')}\n\n${usage}`, 2);
}

/** The settings of the account composition, as the handlers' environment would carry them. */
let settings: Record<string, string>;
const deployed = Boolean(values['user-pool-id']);
if (deployed) {
  if (!values.table) fail('--table is required with --user-pool-id', 2);
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) fail('--region (or AWS_REGION) is required with --user-pool-id', 2);
  // The SDK's own credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...) still applies.
  settings = {
    USER_POOL_ID: values['user-pool-id']!,
    TABLE_NAME: values.table!,
    USER_POOL_CLIENT_ID: 'not-used-by-admin-tasks',
    AWS_REGION: region!,
  };
} else {
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const stateFile = join(dataDir, 'platform.json');
  if (!existsSync(stateFile))
    fail(`No local platform data in ${dataDir}. Start it first with \`npm start\`.`);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
    userPoolId: string;
    userPoolClientId: string;
  };
  const ports = portsFromEnv();
  const cognitoEndpoint = `http://127.0.0.1:${ports.cognito}`;
  const reachable = await fetch(cognitoEndpoint).then(
    () => true,
    () => false,
  );
  if (!reachable)
    fail(`The local platform is not running (nothing on ${cognitoEndpoint}). Start it with \`npm start\`.`);
  settings = {
    AWS_REGION: 'local',
    TABLE_NAME,
    USER_POOL_ID: state.userPoolId,
    USER_POOL_CLIENT_ID: state.userPoolClientId,
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${ports.dynamodb}`,
    COGNITO_LOCAL_ENDPOINT: cognitoEndpoint,
  };
}

// Creating a doctor never texts, schedules or calls; the configuration still names a provider for
// each, so name the ones that need no further settings.
const accountDeps = composeAccounts(
  loadConfig({
    ...settings,
    SMS_PROVIDER: 'outbox',
    REMINDER_SCHEDULER: 'local',
    VIDEO_PROVIDER: 'p2p',
    PRACTICE_NAME: loadPracticeDir(process.env.PRACTICE_DIR || undefined).practice.name,
  }),
);

try {
  const { profile, temporaryPassword } = await createDoctor(
    parsed.output,
    { userId: 'cli-admin' },
    accountDeps,
  );
  console.log(`Created doctor ${profile.email} (${profile.specialty}), user id ${profile.userId}.`);
  if (deployed) console.log('Cognito has emailed them an invitation with a temporary password.');
  else
    console.log(`Temporary password: ${temporaryPassword}\nThey choose their own password at first sign-in.`);
} catch (err) {
  if (err instanceof DomainError) fail(err.message, 1);
  fail(`Could not create the doctor: ${(err as Error).name}`);
}
