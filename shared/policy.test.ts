import { describe, expect, it } from 'vitest';
import { PASSWORD_POLICY, PASSWORD_RULES, unmetPasswordRules } from './policy';

describe('the password rules', () => {
  it('hold one rule per requirement of the policy', () => {
    const ids = PASSWORD_RULES.map((r) => r.id);
    expect(ids).toEqual(
      [
        'length',
        PASSWORD_POLICY.requireLowercase && 'lowercase',
        PASSWORD_POLICY.requireUppercase && 'uppercase',
        PASSWORD_POLICY.requireDigits && 'digit',
        PASSWORD_POLICY.requireSymbols && 'symbol',
      ].filter(Boolean),
    );
    expect(PASSWORD_RULES[0]!.label).toBe(`At least ${PASSWORD_POLICY.minLength} characters`);
  });

  it('tick one by one as a password grows', () => {
    const unmet = (p: string) => unmetPasswordRules(p).map((r) => r.id);
    expect(unmet('')).toEqual(['length', 'lowercase', 'uppercase', 'digit']);
    expect(unmet('correct')).toEqual(['length', 'uppercase', 'digit']);
    expect(unmet('Correct')).toEqual(['length', 'digit']);
    expect(unmet('Correct-Horse')).toEqual(['digit']);
    expect(unmet('Correct-Horse-42')).toEqual([]);
  });
});
