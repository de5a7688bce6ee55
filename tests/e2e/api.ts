import type { APIRequestContext } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';

interface WebConfig {
  cognitoEndpoint: string;
  userPoolClientId: string;
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
    return r as { AuthenticationResult?: { IdToken: string }; ChallengeName?: string; Session?: string };
  };
  const call = async (method: string, path: string, token?: string, data?: unknown) => {
    const res = await request.fetch(`/api${path}`, {
      method,
      headers: {
        ...(token ? { authorization: token } : {}),
        ...(data ? { 'content-type': 'application/json' } : {}),
      },
      data: data === undefined ? undefined : JSON.stringify(data),
    });
    const json = await res.json().catch(() => undefined);
    if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()} ${JSON.stringify(json)}`);
    return json;
  };

  /** A new doctor with every day open in 10-minute slots, so a slot is always inside check-in. */
  async function newDoctor(name: string) {
    const admin = (await signIn(DEMO_USERS.admin.email, DEMO_USERS.admin.password)).AuthenticationResult!
      .IdToken;
    const email = `e2e.dr.${Date.now()}@example.com`;
    const created = await call('POST', '/admin/doctors', admin, {
      email,
      name,
      specialty: 'General practice',
    });
    const password = 'E2e-Doctor-Pass-1';
    const first = await signIn(email, created.invitation.temporaryPassword);
    const done = await cognito(request, config, 'RespondToAuthChallenge', {
      ClientId: config.userPoolClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: first.Session,
      ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password },
    });
    const token = done.AuthenticationResult.IdToken as string;
    const day = [{ start: '00:00', end: '24:00' }];
    await call('PUT', '/availability', token, {
      timeZone: 'UTC',
      slotMinutes: 10,
      weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      daysOff: [],
    });
    return { userId: created.doctor.userId as string, email, password, token, name };
  }

  async function newPatient(name: string) {
    const email = `e2e.pt.${Date.now()}@example.com`;
    const password = 'E2e-Patient-Pass-1';
    const created = await call('POST', '/register', undefined, {
      name,
      email,
      password,
      phone: '+15555550142',
      dateOfBirth: '1992-08-09',
      acceptTerms: true,
      acceptPrivacy: true,
    });
    const token = (await signIn(email, password)).AuthenticationResult!.IdToken;
    return { userId: created.profile.userId as string, email, password, token, name };
  }

  async function bookSoonest(patientToken: string, doctorId: string) {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const slots = await call('GET', `/doctors/${doctorId}/slots?from=${from}&to=${to}`, patientToken);
    const booked = await call('POST', '/appointments', patientToken, {
      doctorId,
      // Not one that starts within seconds: it could be past by the time the request lands.
      start: slots.items.find((s: { start: string }) => Date.parse(s.start) > Date.now() + 5_000).start,
      reason: 'Sore throat for three days',
    });
    return booked.appointment as { appointmentId: string; start: string };
  }

  return { newDoctor, newPatient, bookSoonest, call };
}
