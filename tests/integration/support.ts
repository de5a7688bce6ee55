import { createPrivateKey, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import { createApiClient, type RawRequest } from '../../shared/client';
import type { RouteId } from '../../shared/contract';
import { RATE_LIMIT, TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import type { Role } from '../../shared/roles';
import { enrolTotp, signInWithPassword } from '../../infra/local/cognito';
import { DEMO_USERS } from '../../infra/local/demo-users';

const require = createRequire(import.meta.url);

export const platform = () => inject('platform');

/** The platform's injected clock (tests never pick times from the wall clock). */
export async function platformNow(): Promise<number> {
  const res = await fetch(platform().clockUrl);
  return Date.parse(((await res.json()) as { now: string }).now);
}

/** Moves the platform's clock forward to `to` (no-op if it is already later); returns its time. */
export async function advanceClock(to: number | string): Promise<number> {
  const res = await fetch(platform().clockUrl, {
    method: 'POST',
    body: JSON.stringify({ to: new Date(to).toISOString() }),
  });
  return Date.parse(((await res.json()) as { now: string }).now);
}

export function poolInfo(dataDir = platform().dataDir): {
  userPoolId: string;
  userPoolClientId: string;
  demoTotpSecrets?: Record<'admin' | 'doctor', string>;
} {
  return JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8'));
}

export function cognito(endpoint = platform().cognitoEndpoint) {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function initiateAuth(
  email: string,
  password: string,
  dataDir?: string,
  endpoint?: string,
): Promise<InitiateAuthCommandOutput> {
  return cognito(endpoint).send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: poolInfo(dataDir).userPoolClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

export async function idTokenFor(email: string, password: string): Promise<string> {
  const result = await initiateAuth(email, password);
  const token = result.AuthenticationResult?.IdToken;
  if (!token) throw new Error(`no ID token for ${email}: ${result.ChallengeName ?? 'unknown'}`);
  return token;
}

/** Signs in with password and, for a user enrolled in TOTP, the current code for `totpSecret`. */
export async function signInWithTotp(email: string, password: string, totpSecret: string) {
  return signInWithPassword(cognito(), poolInfo().userPoolClientId, email, password, totpSecret);
}

const tokens = new Map<Role, { token: Promise<string>; renewAt: number }>();
/**
 * ID token of the seeded demo user of a role (staff sign in with their seeded authenticator; tokens
 * live 15 minutes: renewed a minute before).
 */
export function tokenForRole(role: Role): Promise<string> {
  const cached = tokens.get(role);
  if (cached && Date.now() < cached.renewAt) return cached.token;
  const user = DEMO_USERS[role];
  const token =
    role === 'patient'
      ? idTokenFor(user.email, user.password)
      : signInWithTotp(user.email, user.password, poolInfo().demoTotpSecrets![role]).then(
          (result) => result.IdToken!,
        );
  tokens.set(role, { token, renewAt: Date.now() + 14 * 60_000 });
  return token;
}

/** The typed client, signed in with `token` (or anonymous): answers are the contract's types. */
export function as(token?: string) {
  return createApiClient({ baseUrl: `${platform().url}/api`, token: () => token });
}

/** Any route of the contract by id, sent as given (hostile input included); never throws on a status. */
export function call(id: RouteId, request: RawRequest = {}) {
  return createApiClient({ baseUrl: `${platform().url}/api` }).send(id, request);
}

let counter = 0;
export function newPatient(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    name: `Test Patient ${counter}`,
    email: `patient.${Date.now()}.${counter}.${randomUUID().slice(0, 6)}@example.com`,
    password: 'Integration-Pass-1',
    phone: '+15555550199',
    dateOfBirth: '1985-02-03',
    acceptTerms: true as const,
    acceptPrivacy: true as const,
    ...overrides,
  };
}

/** Which platform a helper talks to: the suite's shared one unless a test launched its own. */
export interface PlatformTarget {
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
  dataDir: string;
}
const shared = (): PlatformTarget => platform();

/** The user id (Cognito `sub`) of an account, asked as the operator (tests only). */
export async function userIdOf(email: string, on = shared()): Promise<string> {
  const user = await cognito(on.cognitoEndpoint).send(
    new AdminGetUserCommand({ UserPoolId: poolInfo(on.dataDir).userPoolId, Username: email }),
  );
  return user.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
}

function tableOf(on: PlatformTarget) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: on.dynamodbEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

/** Outbox entries (texts, and the local Cognito's emails) for a user, newest first, from the table. */
export async function outboxOf(userId: string, on = shared()) {
  const db = tableOf(on);
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: 'Telehealth',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `OUTBOXTO#${userId}` },
      ScanIndexForward: false,
    }),
  );
  return Items as { channel: string; kind: string; to: string; body: string; appointmentId?: string }[];
}

/**
 * How many frames the table counted against the budget of a user's open connections in the rate
 * windows between two platform times (read from the counter items; tests only).
 */
export async function countedFrames(userId: string, from: number, to: number, on = shared()) {
  const db = tableOf(on);
  const { Items: connections = [] } = await db.send(
    new QueryCommand({
      TableName: 'Telehealth',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `USERCONN#${userId}` },
    }),
  );
  const windowMs = RATE_LIMIT.windowSeconds * 1000;
  let counted = 0;
  for (const { connectionId } of connections) {
    for (let w = Math.floor(from / windowMs); w <= Math.floor(to / windowMs); w++) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: 'Telehealth',
          Key: { pk: `RATE#frame:${connectionId}:${w}`, sk: 'RATE' },
          ConsistentRead: true,
        }),
      );
      counted += Number(Item?.frames ?? 0);
    }
  }
  return counted;
}

/** The newest code Cognito emailed to `email` (the local Cognito hands its mail to the outbox). */
export async function emailedCode(email: string, on = shared()): Promise<string> {
  const mail = (await outboxOf(await userIdOf(email, on), on)).find(
    (m) => m.channel === 'email' && m.to === email,
  );
  const code = mail && /\b(\d{6})\b/.exec(mail.body)?.[1];
  if (!code) throw new Error('no code was emailed');
  return code;
}

export async function confirmEmail(email: string, code?: string, on = shared()) {
  await cognito(on.cognitoEndpoint).send(
    new ConfirmSignUpCommand({
      ClientId: poolInfo(on.dataDir).userPoolClientId,
      Username: email,
      ConfirmationCode: code ?? (await emailedCode(email, on)),
    }),
  );
}

/** The real sign-up: register, the emailed code, ConfirmSignUp, sign in. */
export async function registerAndSignIn(overrides: Record<string, unknown> = {}) {
  const patient = newPatient(overrides);
  const answer = await as().call('registerPatient', patient);
  expect(answer).toEqual({ status: 'confirmation_sent' });
  await confirmEmail(patient.email);
  return {
    patient,
    userId: await userIdOf(patient.email),
    token: await idTokenFor(patient.email, patient.password),
  };
}

/** The newest code texted to confirm the caller's phone (read from their own outbox). */
export async function textedPhoneCode(token: string): Promise<string> {
  const { items } = await as(token).call('listOutbox', { query: { limit: 20 } });
  const text = items.find((m) => m.kind === 'phone-verification');
  const code = text && /\b(\d{6})\b/.exec(text.body)?.[1];
  if (!code) throw new Error('no phone code was texted');
  return code;
}

/** Confirms the patient's phone with the texted code, so texts reach it. */
export async function confirmPhone(token: string) {
  await as(token).call('sendPhoneCode');
  const { profile } = await as(token).call('verifyPhone', { code: await textedPhoneCode(token) });
  expect(profile.phoneVerified).toBe(true);
}

function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string) {
  const header = { alg: 'RS256', typ: 'JWT', kid };
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

/** cognito-local's key is public; with it a test can mint correctly signed tokens with bad claims. */
export function signWithCognitoLocalKey(payload: Record<string, unknown>): string {
  const { jwk } = JSON.parse(
    readFileSync(require.resolve('cognito-local/lib/keys/cognitoLocal.private.json'), 'utf8'),
  );
  return signJwt(payload, createPrivateKey({ key: jwk, format: 'jwk' }), 'CognitoLocal');
}

export function signWithForeignKey(payload: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signJwt(payload, privateKey, 'CognitoLocal');
}

/** Flips one character of the payload: the signature no longer matches. */
export function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
  payload['cognito:groups'] = ['admin'];
  return `${h}.${b64url(payload)}.${s}`;
}

/**
 * A fresh doctor created by the admin, signed in once with their own password: not enrolled in
 * two-step sign-in yet, so `token` lacks the `mfa` claim and `accessToken` can enrol them.
 */
export async function newUnenrolledDoctor() {
  const email = `dr.${Date.now()}.${randomUUID().slice(0, 6)}@example.com`;
  const created = await as(await tokenForRole('admin')).call('createDoctor', {
    email,
    name: `Dr. ${email.slice(3, 12)}`,
    specialty: 'Family medicine',
  });
  if (created.invitation.delivery !== 'shown') throw new Error('the local platform shows invitations');
  const password = 'Doctor-Pass-2026';
  const first = await initiateAuth(email, created.invitation.temporaryPassword);
  const done = await cognito().send(
    new RespondToAuthChallengeCommand({
      ClientId: poolInfo().userPoolClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: first.Session,
      ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password },
    }),
  );
  return {
    userId: created.doctor.userId,
    email,
    password,
    token: done.AuthenticationResult!.IdToken!,
    accessToken: done.AuthenticationResult!.AccessToken!,
  };
}

/** A fresh doctor enrolled in TOTP (as at first sign-in) with every day fully available in UTC. */
export async function newDoctor(slotMinutes = 20) {
  const { userId, email, password, accessToken } = await newUnenrolledDoctor();
  const totpSecret = await enrolTotp(cognito(), accessToken);
  const token = (await signInWithTotp(email, password, totpSecret)).IdToken!;
  const day = [{ start: '00:00', end: '24:00' }];
  await as(token).call('putAvailability', {
    timeZone: 'UTC',
    slotMinutes,
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
    daysOff: [],
  });
  return { userId, email, token };
}

/** Open slots of the next `hours` by the platform's clock, from `after` hours on (default now). */
export async function openSlotsOf(doctorId: string, token: string, hours = 24 * 7, after = 0) {
  const now = await platformNow();
  const from = new Date(now + after * 3_600_000).toISOString();
  const to = new Date(now + hours * 3_600_000).toISOString();
  const { items } = await as(token).call('listOpenSlots', { doctorId }, { query: { from, to } });
  // A slot starting within a minute could be in the past by the time a test books it.
  return items.filter((s) => Date.parse(s.start) > now + 60_000);
}

export async function book(
  token: string,
  doctorId: string,
  start: string,
  reason = 'Follow-up on blood pressure',
  idempotencyKey?: string,
) {
  return call('bookAppointment', {
    token,
    body: { doctorId, start, reason },
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });
}

export async function registerMany(count: number) {
  const out: Awaited<ReturnType<typeof registerAndSignIn>>[] = [];
  // A few at a time: cognito-local writes one JSON file per pool.
  for (let i = 0; i < count; i += 5) {
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(5, count - i) }, () => registerAndSignIn()))),
    );
  }
  return out;
}

/** Resolves with the first truthy value of `probe`, asked every 50 ms (for effects with no event to await). */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const DEVICE_CHECK_PASSED = { camera: true, microphone: true, speaker: true, browserSupported: true };

/** A checked-in visit whose room is open: the platform's clock moves to 5 minutes before its start. */
export async function checkedInVisit() {
  const doctor = await newDoctor(10);
  const patient = await registerAndSignIn();
  const slot = (await openSlotsOf(doctor.userId, patient.token))[0]!.start;
  const booked = await book(patient.token, doctor.userId, slot);
  await advanceClock(Date.parse(slot) - 5 * 60_000);
  const id: string = booked.json.appointment.appointmentId;
  const checkedIn = await call('checkIn', {
    params: { appointmentId: id },
    token: patient.token,
    body: { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck: DEVICE_CHECK_PASSED },
  });
  expect(checkedIn.status).toBe(200);
  return { doctor, patient, id };
}

export async function admit(doctorToken: string, id: string) {
  const res = await call('admitPatient', {
    params: { appointmentId: id },
    token: doctorToken,
    body: { consentVersion: TELEHEALTH_CONSENT_VERSION },
  });
  expect(res.status).toBe(200);
}
