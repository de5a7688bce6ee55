import { createPrivateKey, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { inject } from 'vitest';
import type { Role } from '../../shared/roles';
import { DEMO_USERS } from '../../infra/local/demo-users';

const require = createRequire(import.meta.url);

export const platform = () => inject('platform');

export function poolInfo(dataDir = platform().dataDir): { userPoolId: string; userPoolClientId: string } {
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

const tokens = new Map<Role, Promise<string>>();
/** ID token of the seeded demo user of a role. */
export function tokenForRole(role: Role): Promise<string> {
  let token = tokens.get(role);
  if (!token) {
    const user = DEMO_USERS[role];
    token = idTokenFor(user.email, user.password);
    tokens.set(role, token);
  }
  return token;
}

export async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = options.token;
  const canHaveBody = method !== 'GET' && method !== 'HEAD';
  const body = !canHaveBody
    ? undefined
    : (options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${platform().url}/api${path}`, { method, headers, body });
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, headers: response.headers };
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
    acceptTerms: true,
    acceptPrivacy: true,
    ...overrides,
  };
}

export async function registerAndSignIn() {
  const patient = newPatient();
  const created = await call('POST', '/register', { body: patient });
  if (created.status !== 201)
    throw new Error(`register failed: ${created.status} ${JSON.stringify(created.json)}`);
  return {
    patient,
    userId: created.json.profile.userId as string,
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
