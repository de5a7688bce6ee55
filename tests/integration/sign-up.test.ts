import { AdminListGroupsForUserCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import {
  as,
  book,
  call,
  cognito,
  confirmEmail,
  confirmPhone,
  decodePayload,
  emailedCode,
  eventually,
  idTokenFor,
  initiateAuth,
  newDoctor,
  newPatient,
  openSlotsOf,
  outboxOf,
  poolInfo,
  registerAndSignIn,
  textedPhoneCode,
  userIdOf,
} from './support';

/** What a caller can observe of an answer: everything but the per-request id and the date. */
const observable = (res: { status: number; json: unknown; headers: Headers }) => ({
  status: res.status,
  json: res.json,
  headers: [...res.headers.entries()].filter(
    ([name]) => !['date', 'x-request-id', 'x-correlation-id'].includes(name),
  ),
});

describe('verified sign-up', () => {
  it('mails a code, refuses sign-in until it is entered, then the account is a patient', async () => {
    const patient = newPatient({ smsOptIn: true });
    const res = await call('registerPatient', { body: patient });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ status: 'confirmation_sent' });

    const userId = await userIdOf(patient.email);
    const mail = (await outboxOf(userId)).filter((m) => m.channel === 'email');
    expect(mail).toEqual([
      expect.objectContaining({
        kind: 'verification',
        to: patient.email,
        body: expect.stringMatching(/\d{6}/),
      }),
    ]);
    await expect(initiateAuth(patient.email, patient.password)).rejects.toMatchObject({
      name: 'UserNotConfirmedException',
    });
    await expect(
      confirmEmail(patient.email, '000000' === (await emailedCode(patient.email)) ? '111111' : '000000'),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });

    await confirmEmail(patient.email);
    const token = await idTokenFor(patient.email, patient.password);
    expect(decodePayload(token)['cognito:groups']).toEqual(['patient']);
    const { profile } = await as(token).call('getMe');
    expect(profile).toMatchObject({
      userId,
      role: 'patient',
      email: patient.email,
      phone: patient.phone,
      smsOptIn: true,
      phoneVerified: false,
    });
    expect(profile).not.toHaveProperty('awaitingConfirmation');
  });

  it('answers an existing email exactly like a new one and changes nothing for that account', async () => {
    const existing = await registerAndSignIn();
    const before = (await as(existing.token).call('getMe')).profile;
    const mailBefore = await outboxOf(existing.userId);

    const fresh = await call('registerPatient', { body: newPatient() });
    const again = await call('registerPatient', {
      body: {
        ...newPatient(),
        email: existing.patient.email,
        name: 'Someone Else',
        password: 'Other-Pass-123',
      },
    });
    expect(observable(again)).toEqual(observable(fresh));

    expect((await as(existing.token).call('getMe')).profile).toEqual(before);
    expect(await outboxOf(existing.userId)).toEqual(mailBefore);
    await expect(idTokenFor(existing.patient.email, existing.patient.password)).resolves.toEqual(
      expect.any(String),
    );
    await expect(initiateAuth(existing.patient.email, 'Other-Pass-123')).rejects.toThrow();
  });

  it('keeps the password policy: a weak password is a 400 with a field error, and no account', async () => {
    const patient = newPatient({ password: 'short' });
    const res = await call('registerPatient', { body: patient });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toHaveProperty('password');
    await expect(userIdOf(patient.email)).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('takes a national phone number with its country and keeps it in E.164', async () => {
    const patient = newPatient({ phone: { number: '07700 900456', country: 'GB' } });
    const res = await call('registerPatient', { body: patient });
    expect(res.status).toBe(202);
    await confirmEmail(patient.email);
    const token = await idTokenFor(patient.email, patient.password);
    expect((await as(token).call('getMe')).profile.phone).toBe('+447700900456');
    // A new number may be given the same way.
    const changed = await call('updateMe', {
      token,
      body: { phone: { number: '(201) 555-0123', country: 'US' } },
    });
    expect(changed.json.profile).toMatchObject({ phone: '+12015550123', phoneVerified: false });
  });

  it.each([
    [{ number: '07700 9', country: 'GB' }, 'This number is too short. Check it'],
    [{ number: '07700 900456', country: 'ZZ' }, 'Choose the country of this number'],
    ['07700 900456', 'Choose the country of this number, or start it with + and the country code'],
    ['+999 1234 5678', 'That country code is not known. Check it'],
  ])('refuses the phone %j with a 400 naming the field, and no account', async (phone, message) => {
    const patient = newPatient({ phone });
    const res = await call('registerPatient', { body: patient });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual({ phone: message });
    await expect(userIdOf(patient.email)).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('someone who signs up with Cognito directly and confirms gets no role and no access', async () => {
    const patient = newPatient();
    await cognito().send(
      new SignUpCommand({
        ClientId: poolInfo().userPoolClientId,
        Username: patient.email,
        Password: patient.password,
        UserAttributes: [{ Name: 'email', Value: patient.email }],
      }),
    );
    await confirmEmail(patient.email);
    const groups = await cognito().send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolInfo().userPoolId, Username: patient.email }),
    );
    expect(groups.Groups ?? []).toEqual([]);
    const token = await idTokenFor(patient.email, patient.password);
    expect((await call('getMe', { token })).status).toBe(403);
  });

  it('the register function holds no Cognito admin rights', () => {
    expect(routes.registerPatient).not.toHaveProperty('cognitoAdmin');
  });
});

describe('phone confirmation before texts', () => {
  const texts = async (token: string, appointmentId: string) =>
    (await as(token).call('listOutbox', { query: { limit: 100 } })).items.filter(
      (m) => m.appointmentId === appointmentId && m.channel === 'sms',
    );

  it('an opted-in patient gets no booking text until the phone is confirmed, then gets one', async () => {
    const doctor = await newDoctor();
    const patient = await registerAndSignIn({ smsOptIn: true });
    const [first, second] = await openSlotsOf(doctor.userId, patient.token, 24 * 7, 3);
    const before = (await book(patient.token, doctor.userId, first!.start)).json.appointment.appointmentId;
    expect(await texts(patient.token, before)).toEqual([]);

    await confirmPhone(patient.token);
    const after = (await book(patient.token, doctor.userId, second!.start)).json.appointment.appointmentId;
    // Queued at once, sent moments later by the sender.
    const sent = await eventually(async () => {
      const found = await texts(patient.token, after);
      return found.every((m) => m.status === 'sent') && found.length > 0 ? found : undefined;
    });
    expect(sent.map((m) => [m.kind, m.to])).toEqual([['booked', patient.patient.phone]]);
  });

  it('5 wrong codes lock the code, even against the right one; a new code works', async () => {
    const { token } = await registerAndSignIn();
    expect((await call('sendPhoneCode', { token })).status).toBe(202);
    const right = await textedPhoneCode(token);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 4; i >= 1; i -= 1) {
      const res = await call('verifyPhone', { token, body: { code: wrong } });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({
        code: 'wrong_code',
        fields: { code: expect.stringContaining(`${i}`) },
      });
    }
    const fifth = await call('verifyPhone', { token, body: { code: wrong } });
    expect([fifth.status, fifth.json.error.code]).toEqual([409, 'code_locked']);
    const locked = await call('verifyPhone', { token, body: { code: right } });
    expect([locked.status, locked.json.error.code]).toEqual([409, 'code_locked']);
    expect((await as(token).call('getMe')).profile.phoneVerified).toBe(false);

    await confirmPhone(token);
  });

  it('a new phone number is unverified again, and codes are rate-limited', async () => {
    const { token } = await registerAndSignIn();
    await confirmPhone(token);
    const changed = await call('updateMe', { token, body: { phone: '+15555550188' } });
    expect(changed.json.profile).toMatchObject({ phone: '+15555550188', phoneVerified: false });
    const malformed = await call('verifyPhone', { token, body: { code: '12ab' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.fields).toHaveProperty('code');
    // One code was sent by confirmPhone; four more are allowed within the hour.
    for (let i = 0; i < 4; i += 1) expect((await call('sendPhoneCode', { token })).status).toBe(202);
    const refused = await call('sendPhoneCode', { token });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('rate_limited');
    const sms = (await as(token).call('listOutbox', { query: { limit: 100 } })).items.filter(
      (m) => m.kind === 'phone-verification',
    );
    expect(sms[0]!.to).toBe('+15555550188');
  });

  it('a doctor cannot ask for a phone code', async () => {
    const doctor = await newDoctor();
    expect((await call('sendPhoneCode', { token: doctor.token })).status).toBe(403);
  });
});
