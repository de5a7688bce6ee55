import type { DeviceCheck } from '../../shared/live';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { createApiClient } from '../../shared/client';
import { PASS_AUTH_SCHEME, VISIT_SESSION_STORAGE_KEY } from '../../shared/visit-pass';
import { loadConfig } from './config';

/**
 * A signed-out patient's visit session from a texted link (no-show rescue): kept in this tab only
 * (sessionStorage) and sent as `Authorization: Pass <token>` by a client of its own, never mixed
 * with a Cognito sign-in that may exist in the same browser.
 */
export const visitSession = {
  get: (): string | undefined => sessionStorage.getItem(VISIT_SESSION_STORAGE_KEY) ?? undefined,
  set: (token: string) => sessionStorage.setItem(VISIT_SESSION_STORAGE_KEY, token),
};

const baseUrl = async () => (await loadConfig()).apiUrl;
const anonymous = createApiClient({ baseUrl });
const holder = createApiClient({
  baseUrl,
  token: () => {
    const token = visitSession.get();
    return token ? `${PASS_AUTH_SCHEME} ${token}` : undefined;
  },
});

export const visitLinkApi = {
  /** Redeems the link once; a used, expired or unknown link rejects with 410 `pass_unusable`. */
  redeem: (token: string) => anonymous.call('redeemVisitPass', { token }),
  visit: () => holder.call('getPassVisit'),
  checkIn: (deviceCheck: DeviceCheck) =>
    holder.call('passCheckIn', { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck }),
};
