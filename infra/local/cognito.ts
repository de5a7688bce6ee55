import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  AssociateSoftwareTokenCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoTriggers } from '../../functions/routes';
import { PASSWORD_POLICY, PATIENT_SESSION_MAX_DAYS, TOKEN_VALIDITY_MINUTES } from '../../shared/policy';
import { ROLES } from '../../shared/roles';
import { totp } from './totp';

const require = createRequire(import.meta.url);

export interface LocalPool {
  userPoolId: string;
  userPoolClientId: string;
}

/**
 * cognito-local runs as a child process (our assembly of it, `cognito-server.ts`, which hands
 * Cognito's emails and texts to the platform); it keeps its users under <dataDir>/cognito/.cognito.
 * Its configuration points the user-pool triggers at the platform's Lambda Invoke stand-in.
 */
export async function startCognitoLocal(
  port: number,
  dataDir: string,
  hooksUrl: string,
): Promise<{ endpoint: string; child: ChildProcess }> {
  const cwd = join(dataDir, 'cognito');
  mkdirSync(join(cwd, '.cognito'), { recursive: true });
  writeFileSync(
    join(cwd, '.cognito', 'config.json'),
    JSON.stringify(
      {
        LambdaClient: {
          endpoint: hooksUrl,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        },
        TriggerFunctions: Object.fromEntries(
          Object.entries(cognitoTriggers).map(([trigger, { handler }]) => [trigger, handler]),
        ),
        UserPoolDefaults: { UsernameAttributes: ['email'] },
      },
      null,
      2,
    ),
  );
  const entry = join(import.meta.dirname, 'cognito-server.ts');
  const log = createWriteStream(join(dataDir, 'cognito-local.log'), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', require.resolve('tsx'), entry], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TELEHEALTH_HOOKS_URL: hooksUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`cognito-local exited early; see ${join(dataDir, 'cognito-local.log')}`);
    try {
      await fetch(endpoint, { method: 'GET', signal: AbortSignal.timeout(500) });
      return { endpoint, child };
    } catch {
      if (Date.now() > deadline) throw new Error('cognito-local did not start within 20 seconds');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function cognitoAdminClient(endpoint: string) {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * The web app client: ID and access tokens for 15 minutes, refresh tokens for 7 days (the patients'
 * maximum session; staff sessions are capped at 12 hours by the API and the web app). Our assembly
 * of cognito-local issues tokens with these validities (cognito-server.ts).
 */
const WEB_CLIENT = {
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  EnableTokenRevocation: true,
  AccessTokenValidity: TOKEN_VALIDITY_MINUTES,
  IdTokenValidity: TOKEN_VALIDITY_MINUTES,
  RefreshTokenValidity: PATIENT_SESSION_MAX_DAYS,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
} as const;

/**
 * Reuses the pool and client from an earlier start when they still exist (bringing the client's
 * settings up to date: data dirs from older versions have 24-hour tokens); creates them otherwise.
 */
export async function ensurePool(
  client: CognitoIdentityProviderClient,
  known?: LocalPool,
): Promise<LocalPool> {
  if (known) {
    try {
      await client.send(
        new DescribeUserPoolClientCommand({ UserPoolId: known.userPoolId, ClientId: known.userPoolClientId }),
      );
      await client.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: known.userPoolId,
          ClientId: known.userPoolClientId,
          ClientName: 'web',
          ...WEB_CLIENT,
          ExplicitAuthFlows: [...WEB_CLIENT.ExplicitAuthFlows],
        }),
      );
      await ensureGroups(client, known.userPoolId);
      await ensureEmailAutoVerified(client, known.userPoolId);
      await ensureMfa(client, known.userPoolId);
      return known;
    } catch (err) {
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    }
  }
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: 'telehealth-local',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      Policies: {
        PasswordPolicy: {
          MinimumLength: PASSWORD_POLICY.minLength,
          RequireLowercase: PASSWORD_POLICY.requireLowercase,
          RequireUppercase: PASSWORD_POLICY.requireUppercase,
          RequireNumbers: PASSWORD_POLICY.requireDigits,
          RequireSymbols: PASSWORD_POLICY.requireSymbols,
        },
      },
    }),
  );
  const userPoolId = UserPool!.Id!;
  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      ...WEB_CLIENT,
      ExplicitAuthFlows: [...WEB_CLIENT.ExplicitAuthFlows],
    }),
  );
  await ensureGroups(client, userPoolId);
  await ensureMfa(client, userPoolId);
  return { userPoolId, userPoolClientId: UserPoolClient!.ClientId! };
}

/**
 * Sign-up mails a code only when the pool auto-verifies email; pools made by older versions did
 * not. UpdateUserPool replaces every setting it lists with what the request says (unset ones are
 * cleared, in cognito-local as in Cognito), so the current settings are sent back unchanged.
 */
async function ensureEmailAutoVerified(client: CognitoIdentityProviderClient, userPoolId: string) {
  const { UserPool: pool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  if (!pool || pool.AutoVerifiedAttributes?.includes('email')) return;
  await client.send(
    new UpdateUserPoolCommand({
      UserPoolId: userPoolId,
      AccountRecoverySetting: pool.AccountRecoverySetting,
      AdminCreateUserConfig: pool.AdminCreateUserConfig,
      AutoVerifiedAttributes: [...(pool.AutoVerifiedAttributes ?? []), 'email'],
      DeviceConfiguration: pool.DeviceConfiguration,
      EmailConfiguration: pool.EmailConfiguration,
      EmailVerificationMessage: pool.EmailVerificationMessage,
      EmailVerificationSubject: pool.EmailVerificationSubject,
      LambdaConfig: pool.LambdaConfig,
      MfaConfiguration: pool.MfaConfiguration,
      Policies: pool.Policies,
      SmsAuthenticationMessage: pool.SmsAuthenticationMessage,
      SmsConfiguration: pool.SmsConfiguration,
      SmsVerificationMessage: pool.SmsVerificationMessage,
      UserPoolAddOns: pool.UserPoolAddOns,
      UserPoolTags: pool.UserPoolTags,
      VerificationMessageTemplate: pool.VerificationMessageTemplate,
    }),
  );
}

/**
 * As on AWS: MFA optional in the pool, authenticator apps (TOTP) only; the API requires it of staff
 * (shared/policy.ts). Also applied to a pool from an older data directory.
 */
async function ensureMfa(client: CognitoIdentityProviderClient, userPoolId: string) {
  await client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
}

async function ensureGroups(client: CognitoIdentityProviderClient, userPoolId: string) {
  for (const group of ROLES) {
    try {
      await client.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
    } catch {
      await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
    }
  }
}

/**
 * Enrols an authenticator app for the user of `accessToken` through Cognito's own APIs, as the web
 * app does, and makes it their preferred second step; returns the TOTP secret.
 */
export async function enrolTotp(client: CognitoIdentityProviderClient, accessToken: string): Promise<string> {
  const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  await client.send(
    new VerifySoftwareTokenCommand({
      AccessToken: accessToken,
      UserCode: totp(SecretCode!),
      FriendlyDeviceName: 'Authenticator',
    }),
  );
  await client.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  return SecretCode!;
}

/** Password sign-in; with `totpSecret`, answers the SOFTWARE_TOKEN_MFA challenge with the current code. */
export async function signInWithPassword(
  client: CognitoIdentityProviderClient,
  clientId: string,
  email: string,
  password: string,
  totpSecret?: string,
): Promise<AuthenticationResultType> {
  const first = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  if (first.AuthenticationResult) return first.AuthenticationResult;
  if (first.ChallengeName !== 'SOFTWARE_TOKEN_MFA' || !totpSecret)
    throw new Error(`sign-in needs ${first.ChallengeName ?? 'an unknown step'}`);
  const done = await client.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: first.Session,
      ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totp(totpSecret) },
    }),
  );
  return done.AuthenticationResult!;
}
