import { describe, expect, it } from 'vitest';
import { mfaEnrolmentRequired } from '../../shared/policy';
import { mfaClaim } from './mfa';

describe('the mfa claim', () => {
  it('is totp exactly for users with an enabled authenticator in that pool', async () => {
    const deps = {
      mfa: { totpEnabled: async (pool: string, user: string) => pool === 'p' && user === 'dr' },
    };
    expect(await mfaClaim('p', 'dr', deps)).toBe('totp');
    expect(await mfaClaim('p', 'other', deps)).toBe('none');
    expect(await mfaClaim('q', 'dr', deps)).toBe('none');
  });

  it('is required of doctors and admins only, and only enrolment and sign-out go without it', () => {
    expect(mfaEnrolmentRequired('doctor', 'none', 'listPatients')).toBe(true);
    expect(mfaEnrolmentRequired('admin', undefined, 'readAuditTrail')).toBe(true);
    expect(mfaEnrolmentRequired('doctor', 'totp', 'listPatients')).toBe(false);
    expect(mfaEnrolmentRequired('patient', 'none', 'listAppointments')).toBe(false);
    expect(mfaEnrolmentRequired('doctor', 'none', 'getMe')).toBe(false);
    expect(mfaEnrolmentRequired('admin', 'none', 'signOutEverywhere')).toBe(false);
    // No route: the WebSocket API, refused until enrolled.
    expect(mfaEnrolmentRequired('doctor', 'none')).toBe(true);
  });
});
