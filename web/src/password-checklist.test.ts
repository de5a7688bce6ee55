import { describe, expect, it } from 'vitest';
import { checklistAnnouncement, confirmationError, PASSWORDS_DIFFER } from './password-checklist';

describe('the password checklist announcement', () => {
  it('says nothing before typing, then what is still needed, then that every rule is met', () => {
    expect(checklistAnnouncement('')).toBe('');
    expect(checklistAnnouncement('c')).toBe(
      'Still needed: at least 12 characters, an uppercase letter, a digit.',
    );
    expect(checklistAnnouncement('Correct-Horse-42')).toBe('Your password meets every rule.');
  });

  it('stays the same while typing does not change which rules are met', () => {
    expect(checklistAnnouncement('Correct')).toBe(checklistAnnouncement('Correct-Hor'));
    expect(checklistAnnouncement('Correct-Hor')).not.toBe(checklistAnnouncement('Correct-Hor1'));
  });
});

describe('the password confirmation', () => {
  it('asks for the password again, then says when the two differ', () => {
    expect(confirmationError('Correct-Horse-42', '')).toBe('Type your password again to confirm it');
    expect(confirmationError('Correct-Horse-42', 'Correct-Horse-43')).toBe(PASSWORDS_DIFFER);
    expect(confirmationError('Correct-Horse-42', 'Correct-Horse-42')).toBeUndefined();
  });
});
