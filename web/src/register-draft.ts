/**
 * The registration form survives a visit to the terms or privacy notice (and a reload) in this tab:
 * kept in sessionStorage, which the tab alone sees and which ends with it. Never the password; cleared
 * once the registration is sent.
 */
import { isPhoneCountry, type CountryCode } from '../../shared/phone';

const KEY = 'registration-draft';

export interface RegistrationDraft {
  name: string;
  email: string;
  phone: string;
  phoneCountry: CountryCode;
  dateOfBirth: string;
  acceptTerms: boolean;
  acceptPrivacy: boolean;
  smsOptIn: boolean;
}

const TEXT_FIELDS = ['name', 'email', 'phone', 'dateOfBirth'] as const;
const CHOICES = ['acceptTerms', 'acceptPrivacy', 'smsOptIn'] as const;

/** The kept fields that still make sense; anything else in storage is ignored. */
export function loadDraft(storage: Pick<Storage, 'getItem'> = sessionStorage): Partial<RegistrationDraft> {
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(storage.getItem(KEY) ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
  const draft: Partial<RegistrationDraft> = {};
  for (const name of TEXT_FIELDS) if (typeof saved[name] === 'string') draft[name] = saved[name];
  for (const name of CHOICES) if (typeof saved[name] === 'boolean') draft[name] = saved[name];
  if (typeof saved.phoneCountry === 'string' && isPhoneCountry(saved.phoneCountry))
    draft.phoneCountry = saved.phoneCountry;
  return draft;
}

export function saveDraft(
  draft: RegistrationDraft,
  storage: Pick<Storage, 'setItem'> = sessionStorage,
): void {
  const kept: Partial<RegistrationDraft> = {};
  for (const name of TEXT_FIELDS) kept[name] = draft[name];
  for (const name of CHOICES) kept[name] = draft[name];
  kept.phoneCountry = draft.phoneCountry;
  storage.setItem(KEY, JSON.stringify(kept));
}

export function clearDraft(storage: Pick<Storage, 'removeItem'> = sessionStorage): void {
  storage.removeItem(KEY);
}
