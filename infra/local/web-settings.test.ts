import { describe, expect, it } from 'vitest';
import { idleSignOutSeconds } from './web-settings';

describe('IDLE_SIGN_OUT_MINUTES', () => {
  it('defaults to 15 minutes and takes whole minutes from 1 to 1440', () => {
    expect(idleSignOutSeconds(undefined)).toBe(900);
    expect(idleSignOutSeconds('1')).toBe(60);
    expect(idleSignOutSeconds('1440')).toBe(86_400);
  });

  it('stops the platform on anything else, naming the variable', () => {
    for (const bad of ['0', '1441', '2.5', '-3', '', 'ten']) {
      expect(() => idleSignOutSeconds(bad)).toThrow(/IDLE_SIGN_OUT_MINUTES/);
    }
  });
});
