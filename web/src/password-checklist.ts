/** The words around a new password: what the checklist announces, and the confirmation's error. */
import { unmetPasswordRules } from '../../shared/policy';

/** What the live region says; it changes only when a rule is met or lost, never on every key. */
export function checklistAnnouncement(password: string): string {
  if (!password) return '';
  const unmet = unmetPasswordRules(password);
  return unmet.length
    ? `Still needed: ${unmet.map((r) => r.label.toLowerCase()).join(', ')}.`
    : 'Your password meets every rule.';
}

export const PASSWORDS_DIFFER = 'The passwords do not match. Type the same password in both fields.';

/** The confirmation's error, if any: empty, or different from the password. */
export function confirmationError(password: string, confirmation: string): string | undefined {
  if (!confirmation) return 'Type your password again to confirm it';
  return confirmation === password ? undefined : PASSWORDS_DIFFER;
}
