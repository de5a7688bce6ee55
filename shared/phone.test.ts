import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { countryFromLocale, normalisePhone, phoneFromInput, PRACTICE_DEFAULT_COUNTRY } from './phone';
import { PhoneInput } from './phone-input';
import { fieldErrors } from './schemas';

describe('normalisePhone', () => {
  it.each([
    ['07700 900456', 'GB', '+447700900456'],
    ['+44 7700 900456', 'US', '+447700900456'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['912 345 678', 'PT', '+351912345678'],
    ['+447700900123', undefined, '+447700900123'],
    ['0044 7700 900456', 'GB', '+447700900456'],
  ])('reads %s with %s as %s', (input, country, e164) => {
    expect(normalisePhone(input, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', 'GB', 'Enter your mobile number'],
    ['07700 9', 'GB', 'too short'],
    ['07700 900456 123456', 'GB', 'too long'],
    ['07700 900456', undefined, 'Choose the country'],
    ['+999 123 456 789', undefined, 'country code is not known'],
    ['0770O 900456', 'GB', 'only digits'],
  ])('refuses %s with %s', (input, country, message) => {
    const result = normalisePhone(input, country);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});

describe('countryFromLocale', () => {
  it('takes the region the browser language names', () => {
    expect(countryFromLocale('en-GB')).toBe('GB');
    expect(countryFromLocale('pt-BR')).toBe('BR');
    expect(countryFromLocale('zh-Hant-TW')).toBe('TW');
  });

  it('falls back to the practice default without a region, or with an unknown one', () => {
    expect(countryFromLocale('en')).toBe(PRACTICE_DEFAULT_COUNTRY);
    expect(countryFromLocale(undefined)).toBe(PRACTICE_DEFAULT_COUNTRY);
    expect(countryFromLocale('not a locale', 'US')).toBe('US');
    expect(countryFromLocale('es-419', 'PT')).toBe('PT');
  });
});

describe('a phone number in a request', () => {
  const parse = (phone: unknown) => v.safeParse(v.strictObject({ phone: PhoneInput }), { phone });

  it('accepts E.164 and a national number with its country, normalised to E.164', () => {
    expect(phoneFromInput('+447700900456')).toEqual({ ok: true, e164: '+447700900456' });
    expect(phoneFromInput({ number: '07700 900456', country: 'GB' })).toEqual({
      ok: true,
      e164: '+447700900456',
    });
    expect(parse({ number: '07700 900456', country: 'GB' }).success).toBe(true);
  });

  it.each([
    [{ number: '07700 9', country: 'GB' }, 'This number is too short. Check it'],
    [{ number: '07700 900456', country: 'XX' }, 'Choose the country of this number'],
    [{ number: '07700 900456', country: 'gb' }, 'Choose the country of this number'],
    ['07700 900456', 'Choose the country of this number, or start it with + and the country code'],
  ])('refuses %j with words a patient can act on', (phone, message) => {
    expect(phoneFromInput(phone)).toEqual({ ok: false, message });
  });

  it.each([
    [{ number: '07700 900456' }, 'Enter your mobile number'],
    [42, 'Enter your mobile number'],
    [undefined, 'Enter your mobile number'],
    ['1'.repeat(41), 'This number is too long. Check it'],
  ])('the contract refuses the shape %j with a message on the field', (phone, message) => {
    const result = parse(phone);
    expect(result.success).toBe(false);
    expect(fieldErrors(result.issues ?? [])).toEqual({ phone: message });
  });
});
