import * as v from 'valibot';
import { PhoneInput } from './phone-input';
import { PASSWORD_MAX_LENGTH, PASSWORD_POLICY, PASSWORD_RULES, unmetPasswordRules } from './policy';

const trimmed = (max: number, label: string) =>
  v.pipe(
    v.string(`${label} is required`),
    v.trim(),
    v.nonEmpty(`${label} is required`),
    v.maxLength(max, `${label} is at most ${max} characters`),
  );

export const Email = v.pipe(
  v.string('Email is required'),
  v.trim(),
  v.toLowerCase(),
  v.nonEmpty('Email is required'),
  v.maxLength(254, 'Email is too long'),
  v.email('Enter a valid email address'),
);

/** Whichever rule fails first, the message lists every rule still unmet. */
const passwordNeeds = (issue: { input: unknown }) =>
  `Your password needs: ${unmetPasswordRules(String(issue.input))
    .map((r) => r.label.toLowerCase())
    .join(', ')}`;

/** Every rule of `PASSWORD_RULES` (one per requirement of the policy), each as its own pattern. */
export const Password: v.GenericSchema<string> = PASSWORD_RULES.reduce<v.GenericSchema<string>>(
  (schema, rule) => (rule.pattern ? v.pipe(schema, v.regex(rule.pattern, passwordNeeds)) : schema),
  v.pipe(
    v.string('Enter a password'),
    v.nonEmpty('Enter a password'),
    v.maxLength(PASSWORD_MAX_LENGTH, 'Password is too long'),
    v.minLength(PASSWORD_POLICY.minLength, passwordNeeds),
  ),
);

const DATE_OF_BIRTH_REQUIRED = 'Enter your date of birth';
const OLDEST_AGE_YEARS = 130;

function dateOf(value: string): Date | undefined {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? undefined : date;
}

/** In the words of a date picker: empty, not a real day, in the future, or too long ago to be a birth. */
export const DateOfBirth = v.pipe(
  v.string(DATE_OF_BIRTH_REQUIRED),
  v.trim(),
  v.nonEmpty(DATE_OF_BIRTH_REQUIRED),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date of birth'),
  v.check((value) => !!dateOf(value), 'Enter a real date of birth'),
  v.check(
    (value) => (dateOf(value)?.getTime() ?? 0) <= Date.now(),
    'Your date of birth cannot be in the future',
  ),
  v.check((value) => {
    const oldest = new Date();
    oldest.setUTCFullYear(oldest.getUTCFullYear() - OLDEST_AGE_YEARS);
    return (dateOf(value)?.getTime() ?? Infinity) >= oldest.getTime();
  }, `Check the year: that is more than ${OLDEST_AGE_YEARS} years ago`),
);

export const PersonName = trimmed(120, 'Name');

/** Strict: an unknown key such as `role` or `groups` is a 400, never silently ignored. */
export const RegisterPatientRequest = v.strictObject({
  name: PersonName,
  email: Email,
  password: Password,
  phone: PhoneInput,
  dateOfBirth: DateOfBirth,
  acceptTerms: v.literal(true, 'You must accept the terms of service'),
  acceptPrivacy: v.literal(true, 'You must accept the privacy notice'),
  smsOptIn: v.optional(v.boolean('smsOptIn must be true or false'), false),
});
export type RegisterPatientRequest = v.InferOutput<typeof RegisterPatientRequest>;

/** `POST /me/phone/verify`: the 6-digit code texted to the profile's phone. */
export const VerifyPhoneRequest = v.strictObject({
  code: v.pipe(
    v.string('Enter the 6-digit code'),
    v.trim(),
    v.regex(/^\d{6}$/, 'Enter the 6-digit code from the text'),
  ),
});
export type VerifyPhoneRequest = v.InferOutput<typeof VerifyPhoneRequest>;

export const CreateDoctorRequest = v.strictObject({
  email: Email,
  name: PersonName,
  specialty: trimmed(80, 'Specialty'),
});
export type CreateDoctorRequest = v.InferOutput<typeof CreateDoctorRequest>;

/** Every WebSocket frame is one of these; `action` selects the route. */
export const PingFrame = v.strictObject({
  action: v.literal('ping'),
  id: v.optional(v.pipe(v.string(), v.maxLength(64))),
});
export type PingFrame = v.InferOutput<typeof PingFrame>;

export type FieldErrors = Record<string, string>;

/** Object schemas report missing and unknown keys with a technical message; say it plainly. */
function keyMessage(issue: v.BaseIssue<unknown>): string | undefined {
  if (issue.kind !== 'schema' || (issue.type !== 'strict_object' && issue.type !== 'object'))
    return undefined;
  if (!issue.path?.length) return undefined;
  return issue.input === undefined ? 'This field is required' : 'This field is not allowed';
}

/** First message per field, keyed by dotted path; what forms and API error bodies both show. */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = v.getDotPath(issue) ?? '_';
    out[key] ??= keyMessage(issue) ?? issue.message;
  }
  return out;
}

/**
 * What Twilio posts to its Messaging webhook, form-encoded: a delivery report of a text we sent, or
 * an inbound reply (with Advanced Opt-Out, `OptOutType` STOP | START | HELP). Loose: Twilio adds
 * fields over time, and every posted field takes part in its signature.
 */
const TwilioField = v.optional(v.pipe(v.string(), v.maxLength(1600)));
export const TwilioMessagingWebhook = v.looseObject({
  MessageSid: TwilioField,
  MessageStatus: TwilioField,
  ErrorCode: TwilioField,
  OptOutType: TwilioField,
  From: TwilioField,
});
