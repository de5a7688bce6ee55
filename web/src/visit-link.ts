import type { DeviceCheck } from '../../shared/live';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { createApiClient } from '../../shared/client';
import { loadConfig } from './config';
import { keepVisitSession, passClient } from './visit-pass';

/**
 * A signed-out patient's visit session from a texted link (no-show rescue): kept in this tab only
 * (sessionStorage, as a guest's: web/src/visit-pass.ts) and sent as `Authorization: Pass <token>`
 * (the WebSocket as `?pass=`), never mixed with a Cognito sign-in that may exist in the same browser.
 */
const anonymous = createApiClient({ baseUrl: async () => (await loadConfig()).apiUrl });

export const visitLinkApi = {
  /** Redeems the link once; a used, expired or unknown link rejects with 410 `pass_unusable`. */
  redeem: async (token: string) => keepVisitSession(await anonymous.call('redeemVisitPass', { token })),
  visit: () => passClient.call('getPassVisit'),
  checkIn: (deviceCheck: DeviceCheck) =>
    passClient.call('passCheckIn', { consentVersion: TELEHEALTH_CONSENT_VERSION, deviceCheck }),
  /** The admitted patient's own grant for the visit's call. */
  joinCall: () => passClient.call('passJoinCall'),
};
