import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SQSBatchResponse } from 'aws-lambda';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { localTokenVerifier } from '../../functions/adapters/cognito/token-verifier';
import { dynamoTable, type DynamoTable } from '../../functions/adapters/dynamo/client';
import { dynamoAppointments } from '../../functions/adapters/dynamo/appointments';
import { claimDueReminders } from '../../functions/adapters/reminders/local';
import { accountsArea, type AccountsDeps } from '../../functions/adapters/wiring/accounts';
import type { Area, Overrides } from '../../functions/adapters/wiring/area';
import { createDoctor, createPatient } from '../../functions/core/accounts';
import type { Clock } from '../../functions/core/ports';
import { loadConfig, type Config } from '../../functions/lib/config';
import type { Availability } from '../../shared/appointments';
import type { WebConfig } from '../../shared/api';
import {
  cognitoAdminClient,
  enrolTotp,
  ensurePool,
  signInWithPassword,
  startCognitoLocal,
  type LocalPool,
} from './cognito';
import { DEMO_USERS } from './demo-users';
import { dynamoLogFile, ensureTable, startDynamoDbLocal, stopChild, TABLE_NAME } from './dynamo';
import { handlerLoader, localConnections, startGateway, type HandlerLoader } from './gateway/index';
import { startHooks } from './hooks';
import { assertPortFree, type PlatformPorts } from './ports';
import { outboxSms, putOutboxEntry } from '../../functions/adapters/sms/outbox';
import { twilioSms } from '../../functions/adapters/sms/twilio';
import { smsWebhookUrl } from '../../functions/adapters/wiring/sms-webhook-url';
import type { SmsSender } from '../../functions/core/ports';
import { IDLE_WARNING_SECONDS } from '../../shared/policy';
import { localTextQueue } from './text-queue';
import { idleSignOutSeconds } from './web-settings';
import { loadPracticeDir } from '../practice';
import { practiceForWeb } from '../../shared/practice';

export interface PlatformOptions {
  ports: PlatformPorts;
  dataDir: string;
  webRoot?: string;
  /** Seed the demo doctor, patient and admin on first start. */
  seed?: boolean;
  /** How often the local stand-in for EventBridge Scheduler looks for due reminders. */
  reminderPollMs?: number;
  /** Keep DynamoDB data in memory (faster; gone at stop) instead of under `dataDir`. */
  inMemoryDatabase?: boolean;
  /**
   * The time the handlers and the reminder loop see (tests inject one to pick slots and move past
   * rules without sleeping). Token lifetimes stay on real time: Cognito issues them.
   */
  clock?: Clock;
  /** Policy settings for the handlers and the web app, as the environment variables of the same names (see README). */
  settings?: LocalSettings;
}

/** What a person starting the platform may tune; everything else the platform sets itself. */
export const LOCAL_SETTINGS = [
  'APPOINTMENT_CHANGE_CUTOFF_MINUTES',
  'APPOINTMENT_MIN_NOTICE_MINUTES',
  'REMINDER_MINUTES_BEFORE',
  'MAX_UPCOMING_APPOINTMENTS',
  'BOOKINGS_PER_MINUTE',
  'SIGNUPS_PER_HOUR_PER_IP',
  'IDLE_SIGN_OUT_MINUTES',
  // The practice directory (practice.json, logo and legal texts); the shipped demo practice by default.
  'PRACTICE_DIR',
  // Tests only: texts go to the outbox and then to a fake Twilio listening on this loopback URL.
  'FAKE_TWILIO_URL',
] as const;
export type LocalSettings = Partial<Record<(typeof LOCAL_SETTINGS)[number], string>>;

/** The tunable settings from an environment (the entry points' own, read at start). */
export function localSettingsFrom(env: Readonly<Record<string, string | undefined>>): LocalSettings {
  return Object.fromEntries(LOCAL_SETTINGS.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

export interface Platform {
  url: string;
  apiUrl: string;
  wsUrl: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
  pool: LocalPool;
  seededNow: boolean;
  /** The demo staff's authenticator secrets (local only), when this data directory seeded them. */
  demoTotpSecrets?: DemoTotpSecrets;
  stop(): Promise<void>;
}

export interface DemoTotpSecrets {
  admin: string;
  doctor: string;
}

interface PlatformState extends LocalPool {
  seeded?: boolean;
  demoTotpSecrets?: DemoTotpSecrets;
}

function readState(file: string): PlatformState | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as PlatformState;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { ports } = options;
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  await assertPortFree(ports.gateway, 'PORT', 'web app and API');
  await assertPortFree(ports.dynamodb, 'DYNAMODB_PORT', 'local DynamoDB');
  await assertPortFree(ports.cognito, 'COGNITO_PORT', 'local Cognito');

  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  try {
    const dynamo = await startDynamoDbLocal(ports.dynamodb, {
      path: options.inMemoryDatabase ? undefined : join(dataDir, 'dynamodb'),
      logFile: dynamoLogFile(dataDir),
    });
    stops.push(() => dynamo.close());
    await ensureTable(dynamo.endpoint);

    const hooks = await startHooks();
    stops.push(() => hooks.close());
    const cognito = await startCognitoLocal(ports.cognito, dataDir, hooks.url);
    stops.push(() => stopChild(cognito.child));
    const admin = cognitoAdminClient(cognito.endpoint);
    const stateFile = join(dataDir, 'platform.json');
    const previous = readState(stateFile);
    const pool = await ensurePool(admin, previous);
    const state: PlatformState = {
      ...pool,
      seeded: previous?.userPoolId === pool.userPoolId && previous.seeded,
      demoTotpSecrets: previous?.userPoolId === pool.userPoolId ? previous.demoTotpSecrets : undefined,
    };
    writeFileSync(stateFile, JSON.stringify(state, null, 2));

    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    // One configuration for every handler of this instance, validated as Lambda's environment is;
    // it is handed to the compositions, never written to process.env.
    const { FAKE_TWILIO_URL, PRACTICE_DIR, ...settings } = options.settings ?? {};
    const practice = loadPracticeDir(PRACTICE_DIR);
    const config = loadConfig({
      ...settings,
      PRACTICE_NAME: practice.practice.name,
      ...(practice.practice.timeZone ? { PRACTICE_TIME_ZONE: practice.practice.timeZone } : {}),
      ...(practice.practice.noShowGraceMinutes !== undefined
        ? { NO_SHOW_GRACE_MINUTES: String(practice.practice.noShowGraceMinutes) }
        : {}),
      AWS_REGION: 'local',
      TABLE_NAME,
      USER_POOL_ID: pool.userPoolId,
      USER_POOL_CLIENT_ID: pool.userPoolClientId,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      COGNITO_LOCAL_ENDPOINT: cognito.endpoint,
      WS_MANAGEMENT_ENDPOINT: gatewayUrl,
      PUBLIC_API_URL: `${gatewayUrl}/api`,
      ALLOWED_ORIGINS: gatewayUrl,
      // The local stand-ins are chosen explicitly, as on AWS the real providers are.
      SMS_PROVIDER: 'outbox',
      REMINDER_SCHEDULER: 'local',
      VIDEO_PROVIDER: 'p2p',
    });
    const table = dynamoTable(config);
    const texts = localTextQueue(table);
    stops.push(() => texts.stop());
    // Handlers reply and relay straight to the gateway's sockets: no signed HTTP hop to this process.
    const connections = localConnections();
    const depsFor = composer(config, {
      clock: options.clock,
      texts,
      connections: connections.api,
      ...(FAKE_TWILIO_URL
        ? {
            sms: fakeTwilioSms(table, FAKE_TWILIO_URL, smsWebhookUrl(config)),
            twilioCredentials: fakeTwilioCredentials,
          }
        : {}),
    });
    const loadHandler = handlerLoader(depsFor);
    texts.consumeWith(
      async (event) => (await loadHandler('send-text'))(event, {} as never) as Promise<SQSBatchResponse>,
    );
    hooks.attach({ loadHandler, keepMessage: (entry) => putOutboxEntry(table, entry) });

    let seededNow = false;
    if (options.seed !== false && !state.seeded) {
      await seedDemoUsers(admin, pool.userPoolId, depsFor(accountsArea), {
        timeZone: practice.practice.timeZone ?? 'UTC',
        putAvailability: (doctorId, hours) => dynamoAppointments(table).putAvailability(doctorId, hours),
      });
      state.demoTotpSecrets = await enrolDemoStaff(admin, pool.userPoolClientId);
      state.seeded = true;
      seededNow = true;
      writeFileSync(stateFile, JSON.stringify(state, null, 2));
    }

    const webConfig: WebConfig = {
      stage: 'local',
      region: 'local',
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.userPoolClientId,
      cognitoEndpoint: cognito.endpoint,
      authFlow: 'USER_PASSWORD_AUTH',
      apiUrl: `${gatewayUrl}/api`,
      wsUrl: `ws://127.0.0.1:${ports.gateway}/ws`,
      idleSignOutSeconds: idleSignOutSeconds(options.settings?.IDLE_SIGN_OUT_MINUTES),
      idleWarningSeconds: IDLE_WARNING_SECONDS,
      practice: practiceForWeb(practice.practice),
    };
    const gateway = await startGateway({
      port: ports.gateway,
      webRoot: options.webRoot ?? resolve(import.meta.dirname, '../../web/dist'),
      webConfig,
      practiceDir: practice.dir,
      verifier: localTokenVerifier(cognito.endpoint, pool.userPoolId, pool.userPoolClientId),
      loadHandler,
      connections,
      connectSources: [cognito.endpoint],
    });
    stops.push(() => gateway.close());
    stops.push(
      startReminderLoop(
        options.reminderPollMs ?? 5_000,
        options.clock ?? { now: () => new Date() },
        table,
        loadHandler,
      ),
    );

    return {
      url: gateway.url,
      apiUrl: webConfig.apiUrl,
      wsUrl: webConfig.wsUrl,
      cognitoEndpoint: cognito.endpoint,
      dynamodbEndpoint: dynamo.endpoint,
      pool,
      seededNow,
      demoTotpSecrets: state.demoTotpSecrets,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The local stand-in for EventBridge Scheduler: due reminder rows are claimed and handed to the same
 * `send-reminder` handler the schedule invokes on AWS.
 */
function startReminderLoop(
  intervalMs: number,
  clock: Clock,
  table: DynamoTable,
  loadHandler: HandlerLoader,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    const sendReminder = await loadHandler('send-reminder');
    for (const due of await claimDueReminders(table, clock.now())) {
      await sendReminder(due, {} as never).catch(() => undefined);
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick).catch(() => undefined);
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/**
 * For tests of the text queue: the outbox records each text, then the real Twilio adapter posts it
 * to a fake Twilio on loopback (never anywhere else) with made-up credentials.
 */
function fakeTwilioSms(table: DynamoTable, url: string, statusCallback: string): SmsSender {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
    throw new Error('FAKE_TWILIO_URL must be a loopback address');
  }
  return outboxSms(
    table,
    twilioSms(fakeTwilioCredentials, fetch, { apiBase: url.replace(/\/$/, ''), statusCallback }),
  );
}

/** With FAKE_TWILIO_URL, tests sign their posts to the Twilio webhook with this auth token. */
export const FAKE_TWILIO_AUTH_TOKEN = 'local-test-auth-token';

const fakeTwilioCredentials = async () => ({
  accountSid: 'AClocal',
  apiKeySid: 'SKlocal',
  apiKeySecret: 'local',
  fromNumber: '+15005550006',
  authToken: FAKE_TWILIO_AUTH_TOKEN,
});

/**
 * Each area (appointments, live, accounts, ...) is composed once per platform instance, on the
 * platform's configuration and with the test's clock when one is injected.
 */
function composer(config: Config, overrides: Overrides): <Deps>(area: Area<Deps>) => Deps {
  const composed = new Map<string, unknown>();
  return <Deps>(area: Area<Deps>): Deps => {
    if (!composed.has(area.name)) composed.set(area.name, area.compose(config, overrides));
    return composed.get(area.name) as Deps;
  };
}

/**
 * Staff must sign in with an authenticator app; the demo doctor and admin are enrolled at seed time
 * (through Cognito's own APIs, as the web app does), so trying the product needs only the printed
 * secret in an authenticator app rather than an enrolment first.
 */
async function enrolDemoStaff(
  admin: CognitoIdentityProviderClient,
  clientId: string,
): Promise<DemoTotpSecrets> {
  const enrol = async ({ email, password }: { email: string; password: string }) => {
    const tokens = await signInWithPassword(admin, clientId, email, password);
    return enrolTotp(admin, tokens.AccessToken!);
  };
  return { admin: await enrol(DEMO_USERS.admin), doctor: await enrol(DEMO_USERS.doctor) };
}

/** Demo accounts go through the same core functions as real sign-ups and admin actions. */
async function seedDemoUsers(
  admin: CognitoIdentityProviderClient,
  userPoolId: string,
  accountDeps: AccountsDeps,
  hours: { timeZone: string; putAvailability: (doctorId: string, hours: Availability) => Promise<void> },
) {
  const { email, password, name } = DEMO_USERS.admin;
  const created = await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: name },
      ],
    }),
  );
  const adminId = created.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
  await admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  await admin.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: 'admin' }),
  );
  await accountDeps.profiles.put({
    userId: adminId,
    role: 'admin',
    name,
    email,
    createdAt: new Date().toISOString(),
  });

  const doctor = DEMO_USERS.doctor;
  const { profile: doctorProfile } = await createDoctor(
    { email: doctor.email, name: doctor.name, specialty: doctor.specialty },
    { userId: adminId },
    accountDeps,
  );
  // Office hours in the practice's zone, so a patient trying the demo finds times to book.
  const weekday = [{ start: '08:00', end: '18:00' }];
  await hours.putAvailability(doctorProfile.userId, {
    timeZone: hours.timeZone,
    slotMinutes: 20,
    weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [], sun: [] },
    daysOff: [],
    dates: [],
  });
  // The demo doctor skips the first-login password change so people can try it at once.
  await admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: doctor.email,
      Password: doctor.password,
      Permanent: true,
    }),
  );

  const patient = DEMO_USERS.patient;
  await createPatient({ ...patient, acceptTerms: true, acceptPrivacy: true, smsOptIn: true }, accountDeps);
}
