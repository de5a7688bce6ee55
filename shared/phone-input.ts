/**
 * The shape of a phone number in a request, without libphonenumber-js: E.164 (or any "+"
 * international form), or `{ number, country }` with a national number and an ISO country code
 * (e.g. `{ "number": "07700 900456", "country": "GB" }`). The contract checks only this shape, so
 * every handler that carries the contract stays small; the routes that take a number normalise it
 * to E.164 with `phoneFromInput` (shared/phone.ts; docs/adr/0015-phone-numbers.md).
 */
import * as v from 'valibot';

export const PHONE_REQUIRED = 'Enter your mobile number';
const TOO_LONG = 'This number is too long. Check it';

export const PhoneInput = v.union(
  [
    v.pipe(v.string(), v.maxLength(40, TOO_LONG)),
    v.strictObject({
      number: v.pipe(v.string(), v.maxLength(40, TOO_LONG)),
      // Which codes are countries is the phone module's word (an unknown one: on the `phone` field).
      country: v.pipe(v.string(), v.maxLength(2, 'Choose the country of this number')),
    }),
  ],
  PHONE_REQUIRED,
);
export type PhoneInput = v.InferOutput<typeof PhoneInput>;
