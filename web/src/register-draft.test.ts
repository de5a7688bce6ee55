import { describe, expect, it } from 'vitest';
import { clearDraft, loadDraft, saveDraft, type RegistrationDraft } from './register-draft';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const draft: RegistrationDraft = {
  name: 'Nia Okafor',
  email: 'nia@example.com',
  phone: '07700 900456',
  phoneCountry: 'GB',
  dateOfBirth: '1990-05-17',
  acceptTerms: true,
  acceptPrivacy: false,
  smsOptIn: true,
};

describe('the registration draft', () => {
  it('comes back as it was saved, and is gone once cleared', () => {
    const storage = memoryStorage();
    saveDraft(draft, storage);
    expect(loadDraft(storage)).toEqual(draft);
    clearDraft(storage);
    expect(loadDraft(storage)).toEqual({});
  });

  it('never keeps a password, even when one is handed to it', () => {
    const storage = memoryStorage();
    saveDraft({ ...draft, password: 'Correct-Horse-42' } as RegistrationDraft, storage);
    expect([...storage.items.values()].join()).not.toContain('Correct-Horse-42');
  });

  it('ignores what does not fit the form', () => {
    const storage = memoryStorage();
    storage.setItem(
      'registration-draft',
      JSON.stringify({ name: 42, phoneCountry: 'XX', acceptTerms: 'yes' }),
    );
    expect(loadDraft(storage)).toEqual({});
    storage.setItem('registration-draft', '{not json');
    expect(loadDraft(storage)).toEqual({});
  });
});
