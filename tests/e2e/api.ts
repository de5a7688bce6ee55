import type { APIRequestContext } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { totp } from '../../infra/local/totp';
import { createApiClient } from '../../shared/client';
import { rememberTotpSecret, totpSecretOf } from './helpers';

interface WebConfig {
  cognitoEndpoint: string;
  userPoolClientId: string;
  apiUrl: string;
}

async function cognito(request: APIRequestContext, config: WebConfig, target: string, body: unknown) {
  const res = await request.post(config.cognitoEndpoint, {
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
    },
    data: JSON.stringify(body),
  });
  return res.json();
}

/** Test set-up through the same public APIs the app uses (REST + Cognito), all on loopback. */
export async function apiFor(request: APIRequestContext) {
  const config = (await (await request.get('/config.json')).json()) as WebConfig;
  const signIn = async (email: string, password: string) => {
    const r = await cognito(request, config, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.userPoolClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    const result = r as {
      AuthenticationResult?: { IdToken: string; AccessToken: string };
      ChallengeName?: string;
      Session?: string;
    };
    const secret = totpSecretOf(email);
    if (result.ChallengeName !== 'SOFTWARE_TOKEN_MFA' || !secret) return result;
    return (await cognito(request, config, 'RespondToAuthChallenge', {
      ClientId: config.userPoolClientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: result.Session,
      ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totp(secret) },
    })) as typeof result;
  };

  /** Enrols an authenticator for the user of `accessToken`, as the enrolment screen does. */
  async function enrolTotp(email: string, accessToken: string) {
    const { SecretCode } = await cognito(request, config, 'AssociateSoftwareToken', {
      AccessToken: accessToken,
    });
    await cognito(request, config, 'VerifySoftwareToken', {
      AccessToken: accessToken,
      UserCode: totp(SecretCode),
    });
    await cognito(request, config, 'SetUserMFAPreference', {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    rememberTotpSecret(email, SecretCode);
  }
  /** The typed API client, signed in with `token` (or anonymous). */
  const as = (token?: string) => createApiClient({ baseUrl: config.apiUrl, token: () => token });

  /**
   * A new doctor, enrolled in two-step sign-in, with every day open in 10-minute slots and no booking
   * notice, so a slot is always inside check-in (these tests run on the wall clock).
   */
  async function newDoctor(name: string) {
    const admin = (await signIn(DEMO_USERS.admin.email, DEMO_USERS.admin.password)).AuthenticationResult!
      .IdToken;
    const email = `e2e.dr.${Date.now()}@example.com`;
    const created = await as(admin).call('createDoctor', { email, name, specialty: 'General practice' });
    if (created.invitation.delivery !== 'shown') throw new Error('the local platform shows invitations');
    const password = 'E2e-Doctor-Pass-1';
    const first = await signIn(email, created.invitation.temporaryPassword);
    const done = await cognito(request, config, 'RespondToAuthChallenge', {
      ClientId: config.userPoolClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: first.Session,
      ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password },
    });
    await enrolTotp(email, done.AuthenticationResult.AccessToken);
    const token = (await signIn(email, password)).AuthenticationResult!.IdToken;
    const day = [{ start: '00:00', end: '24:00' }];
    await as(token).call('putAvailability', {
      timeZone: 'UTC',
      slotMinutes: 10,
      minNoticeMinutes: 0,
      weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      daysOff: [],
    });
    return { userId: created.doctor.userId, email, password, token, name };
  }

  const adminToken = async () =>
    (await signIn(DEMO_USERS.admin.email, DEMO_USERS.admin.password)).AuthenticationResult!.IdToken;

  /** The newest code the local Cognito emailed to `email`, from the development outbox (as admin). */
  async function emailedCode(email: string): Promise<string> {
    const { items } = await as(await adminToken()).call('listOutbox', { query: { limit: 100 } });
    const mail = items.find((m) => m.channel === 'email' && m.to === email);
    const code = mail && /\b(\d{6})\b/.exec(mail.body)?.[1];
    if (!code) throw new Error('no code was emailed');
    return code;
  }

  /** The real sign-up: register, the emailed code, ConfirmSignUp, sign in. */
  async function newPatient(name: string) {
    const email = `e2e.pt.${Date.now()}@example.com`;
    const password = 'E2e-Patient-Pass-1';
    await as().call('registerPatient', {
      name,
      email,
      password,
      phone: '+15555550142',
      dateOfBirth: '1992-08-09',
      acceptTerms: true,
      acceptPrivacy: true,
    });
    await cognito(request, config, 'ConfirmSignUp', {
      ClientId: config.userPoolClientId,
      Username: email,
      ConfirmationCode: await emailedCode(email),
    });
    const token = (await signIn(email, password)).AuthenticationResult!.IdToken;
    const { profile } = await as(token).call('getMe');
    return { userId: profile.userId, email, password, token, name };
  }

  async function bookSoonest(patientToken: string, doctorId: string) {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const client = as(patientToken);
    const slots = await client.call('listOpenSlots', { doctorId }, { query: { from, to } });
    // Not one that starts within seconds: it could be past by the time the request lands.
    const soonest = slots.items.find((s) => Date.parse(s.start) > Date.now() + 5_000);
    if (!soonest) throw new Error('no open slot in the next 3 hours');
    const booked = await client.call('bookAppointment', {
      doctorId,
      start: soonest.start,
      reason: 'Sore throat for three days',
    });
    return booked.appointment;
  }

  return { newDoctor, newPatient, bookSoonest, as, emailedCode, signIn, adminToken };
}
