import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import {
  call,
  cognito,
  confirmEmail,
  decodePayload,
  eventually,
  initiateAuth,
  newPatient,
  as,
  poolInfo,
  signWithCognitoLocalKey,
  tokenForRole,
} from './support';
import { openSocket, refusedStatus, wsUrl } from './ws-client';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A correctly signed copy of `token` that is valid now, from a sign-in `hours` ago (real time). */
function signedInHoursAgo(token: string, hours: number): string {
  const now = nowSeconds();
  return signWithCognitoLocalKey({
    ...decodePayload(token),
    auth_time: now - Math.round(hours * 3600),
    iat: now,
    exp: now + 600,
  });
}

describe('token lifetimes', () => {
  it('issues ID and access tokens for 15 minutes; a refresh keeps the time of the sign-in', async () => {
    const patient = newPatient();
    await as().call('registerPatient', patient);
    await confirmEmail(patient.email);
    const signIn = (await initiateAuth(patient.email, patient.password)).AuthenticationResult!;
    const id = decodePayload(signIn.IdToken!);
    const access = decodePayload(signIn.AccessToken!);
    expect(Number(id.exp) - Number(id.iat)).toBe(900);
    expect(Number(access.exp) - Number(access.iat)).toBe(900);
    const refresh = decodePayload(signIn.RefreshToken!);
    expect(Number(refresh.exp) - Number(refresh.iat)).toBe(7 * 86_400);

    // Refresh until the new tokens are issued in a later second than the sign-in.
    const refreshed = await eventually(async () => {
      const result = await cognito().send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: poolInfo().userPoolClientId,
          AuthParameters: { REFRESH_TOKEN: signIn.RefreshToken! },
        }),
      );
      const claims = decodePayload(result.AuthenticationResult!.IdToken!);
      return Number(claims.iat) > Number(id.auth_time) ? result.AuthenticationResult! : undefined;
    });
    const again = decodePayload(refreshed.IdToken!);
    expect(again.auth_time).toBe(id.auth_time);
    expect(decodePayload(refreshed.AccessToken!).auth_time).toBe(id.auth_time);
    expect(Number(again.exp) - Number(again.iat)).toBe(900);
    expect((await call('getMe', { token: refreshed.IdToken! })).status).toBe(200);
  });
});

describe('the staff session maximum (12 hours from sign-in)', () => {
  it('refuses doctor and admin tokens from an older sign-in with 401 session_expired', async () => {
    for (const role of ['doctor', 'admin'] as const) {
      const token = await tokenForRole(role);
      expect((await call('getMe', { token: signedInHoursAgo(token, 11.9) })).status).toBe(200);
      const old = await call('getMe', { token: signedInHoursAgo(token, 12.1) });
      expect(old.status).toBe(401);
      expect(old.json.error.code).toBe('session_expired');
    }
  });

  it('lets a patient sign-in of the same age through (patients: 7 days, by the refresh token)', async () => {
    const token = await tokenForRole('patient');
    expect((await call('getMe', { token: signedInHoursAgo(token, 12.1) })).status).toBe(200);
  });

  it('refuses the WebSocket $connect of an older staff sign-in; a fresh one connects', async () => {
    const token = await tokenForRole('doctor');
    expect(await refusedStatus(wsUrl(signedInHoursAgo(token, 12.1)))).toBe(403);
    const socket = await openSocket(signedInHoursAgo(token, 11.9));
    await socket.flush();
    socket.close();
  });
});
