import * as v from 'valibot';
import { PASSWORD_POLICY } from './policy';

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

export const Password = v.pipe(
  v.string('Password is required'),
  v.minLength(PASSWORD_POLICY.minLength, `Use at least ${PASSWORD_POLICY.minLength} characters`),
  v.maxLength(256, 'Password is too long'),
  v.regex(/[a-z]/, 'Include a lowercase letter'),
  v.regex(/[A-Z]/, 'Include an uppercase letter'),
  v.regex(/[0-9]/, 'Include a digit'),
);

/** E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all. */
export const PhoneE164 = v.pipe(
  v.string('Mobile number is required'),
  v.trim(),
  v.regex(/^\+[1-9]\d{6,14}$/, 'Use international format, e.g. +447700900123'),
);

function isRealPastDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return false;
  const now = Date.now();
  const oldest = new Date(now);
  oldest.setUTCFullYear(oldest.getUTCFullYear() - 130);
  return date.getTime() <= now && date >= oldest;
}

export const DateOfBirth = v.pipe(
  v.string('Date of birth is required'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD'),
  v.check(isRealPastDate, 'Enter a real date of birth in the past'),
);

export const PersonName = trimmed(120, 'Name');

/** Strict: an unknown key such as `role` or `groups` is a 400, never silently ignored. */
export const RegisterPatientRequest = v.strictObject({
  name: PersonName,
  email: Email,
  password: Password,
  phone: PhoneE164,
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
