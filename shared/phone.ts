/**
 * Phone numbers as people type them ("07700 900456" with United Kingdom, "+44 7700 900456",
 * "(201) 555-0123" with United States), normalised to E.164 ("+447700900456") with libphonenumber-js.
 * One module for the web form and the routes that take a number; the contract checks only the
 * shape (shared/phone-input.ts) so handlers without a phone field carry none of this
 * (docs/adr/0015-phone-numbers.md).
 *
 * A number is accepted when it has a possible length for its country: stricter "valid" checks
 * refuse fictional ranges (Ofcom's 07700 900xxx, the US 555 exchange) and lag behind new allocations,
 * and the texted code proves the number anyway.
 */
import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/min';
import { PHONE_REQUIRED, type PhoneInput } from './phone-input';

export type { CountryCode };

/** The country offered when the browser's language names none (e.g. "en" rather than "en-GB"). */
export const PRACTICE_DEFAULT_COUNTRY: CountryCode = 'GB';

export const PHONE_COUNTRIES: readonly CountryCode[] = /* @__PURE__ */ getCountries();

export function isPhoneCountry(value: string): value is CountryCode {
  return isSupportedCountry(value);
}

/** "+44" for GB. */
export function callingCode(country: CountryCode): string {
  return `+${getCountryCallingCode(country)}`;
}

/** The region a BCP 47 language tag names ("en-GB" -> GB) when phones are known there, else the default. */
export function countryFromLocale(
  locale: string | undefined,
  fallback = PRACTICE_DEFAULT_COUNTRY,
): CountryCode {
  let region: string | undefined;
  try {
    // Only a region the tag names: "en" alone says nothing about where the patient is.
    region = locale ? new Intl.Locale(locale).region : undefined;
  } catch {
    region = undefined;
  }
  return region && isSupportedCountry(region) ? region : fallback;
}

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

/** Why a number cannot be used, in words a patient can act on; or its E.164 form. */
export function normalisePhone(input: string, country?: string): PhoneResult {
  const text = input.trim();
  if (!text) return { ok: false, message: PHONE_REQUIRED };
  const defaultCountry = country && isSupportedCountry(country) ? country : undefined;
  if (!text.startsWith('+') && !defaultCountry)
    return {
      ok: false,
      message: 'Choose the country of this number, or start it with + and the country code',
    };
  if (/[^\d\s().+\-/]/.test(text)) return { ok: false, message: 'Use only digits, spaces and + ( ) -' };
  const problem = validatePhoneNumberLength(text, defaultCountry);
  if (problem === 'INVALID_COUNTRY')
    return { ok: false, message: 'That country code is not known. Check it' };
  if (problem === 'TOO_SHORT') return { ok: false, message: 'This number is too short. Check it' };
  if (problem === 'TOO_LONG') return { ok: false, message: 'This number is too long. Check it' };
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (problem || !parsed?.isPossible())
    return { ok: false, message: 'This is not a mobile number we can text. Check it' };
  return { ok: true, e164: parsed.number };
}

/** A request's number (shared/phone-input.ts) in E.164, or why it cannot be used. */
export function phoneFromInput(input: PhoneInput): PhoneResult {
  const { number, country } = typeof input === 'string' ? { number: input, country: undefined } : input;
  if (country !== undefined && !isSupportedCountry(country))
    return { ok: false, message: 'Choose the country of this number' };
  return normalisePhone(number, country);
}
