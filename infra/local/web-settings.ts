import { IDLE_SIGN_OUT_MINUTES } from '../../shared/policy';

/**
 * `IDLE_SIGN_OUT_MINUTES`, the web app's idle sign-out (a whole number of minutes, 1 to 1440; 15 by
 * default, as on AWS). A malformed value stops the platform at start, naming the variable, as the
 * handlers' settings do.
 */
export function idleSignOutSeconds(value: string | undefined): number {
  if (value === undefined) return IDLE_SIGN_OUT_MINUTES * 60;
  const minutes = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(minutes >= 1 && minutes <= 1440))
    throw new Error('IDLE_SIGN_OUT_MINUTES must be a whole number of minutes from 1 to 1440');
  return minutes * 60;
}
