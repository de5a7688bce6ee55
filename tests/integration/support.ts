import { createPrivateKey, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect, inject } from 'vitest';
import { createApiClient, type RawRequest } from '../../shared/client';
import type { RouteId } from '../../shared/contract';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
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

const tokens = new Map<Role, Promise<string>>();
/** ID token of the seeded demo user of a role (staff sign in with their seeded authenticator). */
export function tokenForRole(role: Role): Promise<string> {
  let token = tokens.get(role);
  if (!token) {
    const user = DEMO_USERS[role];
    token =
      role === 'patient'
        ? idTokenFor(user.email, user.password)
        : signInWithTotp(user.email, user.password, poolInfo().demoTotpSecrets![role]).then(
            (result) => result.IdToken!,
          );
    tokens.set(role, token);
  }
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

export async function registerAndSignIn() {
  const patient = newPatient();
  const created = await as().call('registerPatient', patient);
  return {
    patient,
    userId: created.profile.userId,
    token: await idTokenFor(patient.email, patient.password),
  };
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
