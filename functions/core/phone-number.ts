/**
 * A request's phone number in E.164 (docs/adr/0015-phone-numbers.md): the contract checked its
 * shape; here it is normalised, or refused with the same 400 a schema error gives, on the field.
 */
import type { PhoneInput } from '../../shared/phone-input';
import { phoneFromInput } from '../../shared/phone';
import { BadRequest } from './errors';

export function e164(input: PhoneInput): string {
  const result = phoneFromInput(input);
  if (!result.ok)
    throw new BadRequest('Some fields are invalid', { phone: result.message }, 'validation_failed');
  return result.e164;
}
