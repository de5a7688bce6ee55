import {
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import {
  as,
  call,
  cognito,
  decodePayload,
  emailedCode,
  eventually,
  idTokenFor,
  poolInfo,
  registerAndSignIn,
  signWithCognitoLocalKey,
} from './support';
import { openSocket, refusedStatus, wsUrl } from './ws-client';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('sign out everywhere', () => {
  it('ends every session of the user at once: REST, $connect and open sockets; a new sign-in works', async () => {
    const { patient, token: first } = await registerAndSignIn();
    const second = await idTokenFor(patient.email, patient.password);
    const socket = await openSocket(first);
    await socket.flush(); // the connection is recorded
    const closed = new Promise<number>((resolve) => socket.socket.once('close', (code) => resolve(code)));
    expect((await call('getMe', { token: second })).status).toBe(200);

    const answer = await as(first).call('signOutEverywhere');
    expect(answer.closedConnections).toBe(1);

    // No waiting: the very next requests are refused, in every area, for both sessions.
    for (const token of [first, second]) {
      const me = await call('getMe', { token });
      expect(me.status).toBe(401);
      expect(me.json.error.code).toBe('unauthorized');
      expect((await call('listAppointments', { token })).status).toBe(401);
      expect(await refusedStatus(wsUrl(token))).toBe(403);
    }
    expect(await closed).toBe(1000);

    // Token times count whole seconds; the answer came once the sign-out's second was over, so a
    // sign-in right after it is accepted.
    const fresh = await idTokenFor(patient.email, patient.password);
    expect((await call('getMe', { token: fresh })).status).toBe(200);
    const again = await openSocket(fresh);
    await again.flush();
    again.close();
  });

  it('refuses a token from the second of the sign-out and accepts one from the second after', async () => {
    const { token } = await registerAndSignIn();
    const claims = decodePayload(token);
    const before = nowSeconds();
    await as(token).call('signOutEverywhere');
    const after = nowSeconds();
    const at = (seconds: number) =>
      signWithCognitoLocalKey({ ...claims, auth_time: seconds, iat: seconds, exp: seconds + 600 });
    // The sign-out was stamped with a second in [before, after]: both ends of it are refused or later.
    expect((await call('getMe', { token: at(before) })).status).toBe(401);
    expect((await call('getMe', { token: at(after + 1) })).status).toBe(200);
    expect(await refusedStatus(wsUrl(at(before)))).toBe(403);
  });

  it('judges a refreshed token by its sign-in (auth_time), not by when it was issued', async () => {
    const { token } = await registerAndSignIn();
    const claims = decodePayload(token);
    await as(token).call('signOutEverywhere');
    const later = nowSeconds() + 5;
    const refreshed = signWithCognitoLocalKey({ ...claims, iat: later, exp: later + 600 });
    expect((await call('getMe', { token: refreshed })).status).toBe(401);
  });

  it('leaves other users signed in', async () => {
    const { token: mine } = await registerAndSignIn();
    const { token: theirs } = await registerAndSignIn();
    await as(mine).call('signOutEverywhere');
    expect((await call('getMe', { token: theirs })).status).toBe(200);
  });
});

describe('password reset', () => {
  it('ends every session signed in before it, on REST and $connect; the new password signs in', async () => {
    const { patient, token } = await registerAndSignIn();
    expect((await call('getMe', { token })).status).toBe(200);
    const ClientId = poolInfo().userPoolClientId;
    await cognito().send(new ForgotPasswordCommand({ ClientId, Username: patient.email }));
    const password = 'Brand-New-Password-42';
    await cognito().send(
      new ConfirmForgotPasswordCommand({
        ClientId,
        Username: patient.email,
        ConfirmationCode: await emailedCode(patient.email),
        Password: password,
      }),
    );

    // Cognito's PostConfirmation trigger ended the old sessions before the reset answered.
    expect((await call('getMe', { token })).status).toBe(401);
    expect(await refusedStatus(wsUrl(token))).toBe(403);
    // A sign-in with the new password from the next second on is accepted.
    const fresh = await eventually(async () => {
      const candidate = await idTokenFor(patient.email, password);
      return (await call('getMe', { token: candidate })).status === 200 ? candidate : undefined;
    });
    expect(decodePayload(fresh).email).toBe(patient.email);
  });
});
