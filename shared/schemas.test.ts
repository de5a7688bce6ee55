import * as v from 'valibot';
import { phoneFromInput } from './phone';
import { describe, expect, it } from 'vitest';
import { fieldErrors, RegisterPatientRequest } from './schemas';

const valid = {
  name: '  Ana Silva ',
  email: 'Ana.Silva@Example.com',
  password: 'Sufficiently-Long-1',
  phone: '+351912345678',
  dateOfBirth: '1979-12-31',
  acceptTerms: true,
  acceptPrivacy: true,
};

describe('RegisterPatientRequest', () => {
  it('normalises a valid registration', () => {
    const result = v.parse(RegisterPatientRequest, valid);
    expect(result).toMatchObject({ name: 'Ana Silva', email: 'ana.silva@example.com', smsOptIn: false });
  });

  it.each([
    ['phone', 42],
    ['phone', '1'.repeat(41)],
    ['dateOfBirth', '1990-02-30'],
    ['dateOfBirth', '2999-01-01'],
    ['dateOfBirth', '1800-01-01'],
    ['password', 'alllowercase123'],
    ['password', 'Short1'],
    ['email', 'not-an-email'],
    ['acceptTerms', false],
    ['acceptPrivacy', undefined],
  ])('rejects %s = %s', (field, value) => {
    const result = v.safeParse(RegisterPatientRequest, { ...valid, [field]: value });
    expect(result.success).toBe(false);
    expect(Object.keys(fieldErrors(result.issues ?? []))).toContain(field);
  });

  it('names every unmet password rule at once', () => {
    const result = v.safeParse(RegisterPatientRequest, { ...valid, password: 'short' });
    expect(fieldErrors(result.issues ?? []).password).toBe(
      'Your password needs: at least 12 characters, an uppercase letter, a digit',
    );
  });

  it.each([
    ['', 'Enter your date of birth'],
    ['2999-01-01', 'Your date of birth cannot be in the future'],
    ['1800-01-01', 'Check the year: that is more than 130 years ago'],
    ['1990-02-30', 'Enter a real date of birth'],
  ])('says what is wrong with a date of birth of %j in words', (dateOfBirth, message) => {
    const result = v.safeParse(RegisterPatientRequest, { ...valid, dateOfBirth });
    expect(fieldErrors(result.issues ?? []).dateOfBirth).toBe(message);
  });

  it('takes a national phone number with its country; the routes normalise it (shared/phone.ts)', () => {
    const result = v.parse(RegisterPatientRequest, {
      ...valid,
      phone: { number: '07700 900456', country: 'GB' },
    });
    expect(result.phone).toEqual({ number: '07700 900456', country: 'GB' });
    expect(phoneFromInput(result.phone)).toEqual({ ok: true, e164: '+447700900456' });
  });

  it.each(['0912345678', '+0123456789', '+1234567890123456'])(
    'the phone module refuses %s with words on the field',
    (phone) => {
      expect(phoneFromInput(phone)).toMatchObject({ ok: false, message: expect.any(String) });
    },
  );

  it('refuses fields that are not part of registration, such as a role', () => {
    const result = v.safeParse(RegisterPatientRequest, { ...valid, role: 'doctor' });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.issues ?? [])).toEqual({ role: 'This field is not allowed' });
  });
});
