import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { enrolTotp } from '../../infra/local/cognito';
import { totp } from '../../infra/local/totp';
import {
  call,
  cognito,
  decodePayload,
  initiateAuth,
  newUnenrolledDoctor,
  poolInfo,
  registerAndSignIn,
  signInWithTotp,
} from './support';
import { openSocket, refusedStatus, wsUrl } from './ws-client';

const MFA_REQUIRED = { code: 'mfa_enrollment_required', message: expect.any(String) };

describe('two-step sign-in for staff', () => {
  it('refuses a doctor without TOTP on PHI routes and $connect, but lets them enrol and sign out', async () => {
    const doctor = await newUnenrolledDoctor();
    expect(decodePayload(doctor.token).mfa).toBe('none');

    const patients = await call('listPatients', { token: doctor.token });
    expect(patients.status).toBe(403);
    expect(patients.json.error).toEqual(MFA_REQUIRED);
    expect((await call('listAppointments', { token: doctor.token })).status).toBe(403);
    expect(await refusedStatus(wsUrl(doctor.token))).toBe(403);
    // What the enrolment screen needs still works.
    expect((await call('getMe', { token: doctor.token })).status).toBe(200);

    const secret = await enrolTotp(cognito(), doctor.accessToken);
    const enrolled = (await signInWithTotp(doctor.email, doctor.password, secret)).IdToken!;
    expect(decodePayload(enrolled).mfa).toBe('totp');
    expect((await call('listPatients', { token: enrolled })).status).toBe(200);
    const { socket } = await openSocket(enrolled);
    socket.close();
    // Signing out needs no second step either (it ends the enrolled session too).
    expect((await call('signOutEverywhere', { token: doctor.token })).status).toBe(200);
  });

  it('a sign-in with a code gives a refresh token that works, and refreshed tokens keep the claim', async () => {
    const doctor = await newUnenrolledDoctor();
    const secret = await enrolTotp(cognito(), doctor.accessToken);
    const { RefreshToken } = await signInWithTotp(doctor.email, doctor.password, secret);
    const refreshed = await cognito().send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: poolInfo().userPoolClientId,
        AuthParameters: { REFRESH_TOKEN: RefreshToken! },
      }),
    );
    const token = refreshed.AuthenticationResult!.IdToken!;
    expect(decodePayload(token).mfa).toBe('totp');
    expect((await call('listPatients', { token })).status).toBe(200);
    // And it can be revoked, as at sign-out.
    const clientId = poolInfo().userPoolClientId;
    await cognito().send(new RevokeTokenCommand({ Token: RefreshToken!, ClientId: clientId }));
    await expect(
      cognito().send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: clientId,
          AuthParameters: { REFRESH_TOKEN: RefreshToken! },
        }),
      ),
    ).rejects.toThrow();
  });

  it('asks for the code once enrolled and refuses a wrong one', async () => {
    const doctor = await newUnenrolledDoctor();
    const secret = await enrolTotp(cognito(), doctor.accessToken);
    const first = await initiateAuth(doctor.email, doctor.password);
    expect(first.AuthenticationResult).toBeUndefined();
    expect(first.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const current = totp(secret);
    const wrong = String((Number(current) + 1) % 1_000_000).padStart(6, '0');
    await expect(
      cognito().send(
        new RespondToAuthChallengeCommand({
          ClientId: poolInfo().userPoolClientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: first.Session,
          ChallengeResponses: { USERNAME: doctor.email, SOFTWARE_TOKEN_MFA_CODE: wrong },
        }),
      ),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
  });

  it('refuses a wrong code at enrolment, leaving the doctor unenrolled', async () => {
    const doctor = await newUnenrolledDoctor();
    const { SecretCode } = await cognito().send(
      new AssociateSoftwareTokenCommand({ AccessToken: doctor.accessToken }),
    );
    const wrong = String((Number(totp(SecretCode!)) + 1) % 1_000_000).padStart(6, '0');
    await expect(
      cognito().send(new VerifySoftwareTokenCommand({ AccessToken: doctor.accessToken, UserCode: wrong })),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
    const again = await initiateAuth(doctor.email, doctor.password);
    expect(decodePayload(again.AuthenticationResult!.IdToken!).mfa).toBe('none');
  });

  it('takes staff access away on the next token once TOTP is turned off', async () => {
    const doctor = await newUnenrolledDoctor();
    const secret = await enrolTotp(cognito(), doctor.accessToken);
    const enrolled = await signInWithTotp(doctor.email, doctor.password, secret);
    await cognito().send(
      new SetUserMFAPreferenceCommand({
        AccessToken: enrolled.AccessToken!,
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    const next = await initiateAuth(doctor.email, doctor.password);
    const token = next.AuthenticationResult!.IdToken!;
    expect(decodePayload(token).mfa).toBe('none');
    expect((await call('listPatients', { token })).status).toBe(403);
    expect(await refusedStatus(wsUrl(token))).toBe(403);
  });

  it('never requires it of patients, who may turn it on', async () => {
    const { patient, token } = await registerAndSignIn();
    expect(decodePayload(token).mfa).toBe('none');
    expect((await call('listAppointments', { token })).status).toBe(200);
    const { socket } = await openSocket(token);
    socket.close();

    const { AuthenticationResult } = await initiateAuth(patient.email, patient.password);
    const secret = await enrolTotp(cognito(), AuthenticationResult!.AccessToken!);
    const withCode = (await signInWithTotp(patient.email, patient.password, secret)).IdToken!;
    expect(decodePayload(withCode).mfa).toBe('totp');
    expect((await call('listAppointments', { token: withCode })).status).toBe(200);
  });
});
