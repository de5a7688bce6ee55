import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { countryFromLocale, normalisePhone, PhoneNumber, PRACTICE_DEFAULT_COUNTRY } from './phone';
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

describe('the PhoneNumber schema', () => {
  const parse = (phone: unknown) => v.safeParse(v.strictObject({ phone: PhoneNumber }), { phone });

  it('accepts E.164 and a national number with its country, giving E.164', () => {
    expect(parse('+447700900456').output).toEqual({ phone: '+447700900456' });
    expect(parse({ number: '07700 900456', country: 'GB' }).output).toEqual({ phone: '+447700900456' });
  });

  it.each([
    [{ number: '07700 9', country: 'GB' }, 'This number is too short. Check it'],
    [{ number: '07700 900456', country: 'XX' }, 'Choose the country of this number'],
    [{ number: '07700 900456' }, 'Enter your mobile number'],
    ['07700 900456', 'Choose the country of this number, or start it with + and the country code'],
    [42, 'Enter your mobile number'],
    [undefined, 'Enter your mobile number'],
  ])('refuses %j with a message on the field', (phone, message) => {
    const result = parse(phone);
    expect(result.success).toBe(false);
    expect(fieldErrors(result.issues ?? [])).toEqual({ phone: message });
  });
});
