/**
 * A visit session in this tab (docs/adr/0021-visit-passes.md): a guest without an account (or a
 * signed-out patient, no-show rescue) opens their one-time link, which is redeemed for a session kept in sessionStorage (this tab only) and
 * sent as `Authorization: Pass <token>`. Nothing here touches the Cognito session.
 */
import { onCleanup } from 'solid-js';
import { ApiError, createApiClient } from '../../shared/client';
import { PASS_AUTH_SCHEME, VISIT_SESSION_STORAGE_KEY, type RedeemedPass } from '../../shared/visit-pass';
import { client } from './api';
import { loadConfig } from './config';

/** How often a pass holder's waiting page asks whether the doctor has admitted them. */
const WAITING_POLL_MS = 3_000;

/** While the page is open, asks again every few seconds whenever `waiting()` holds. */
export function pollWhileWaiting(waiting: () => boolean, refetch: () => unknown): void {
  const timer = setInterval(() => {
    if (waiting()) void refetch();
  }, WAITING_POLL_MS);
  onCleanup(() => clearInterval(timer));
}

/** This tab's visit session is gone: never kept here, or refused by the server (`error`). */
export function visitSessionEnded(error: unknown): boolean {
  return !storedVisitSession() || (error instanceof ApiError && error.status === 401);
}

export function storedVisitSession(): RedeemedPass | undefined {
  try {
    const raw = sessionStorage.getItem(VISIT_SESSION_STORAGE_KEY);
    return raw ? (JSON.parse(raw) as RedeemedPass) : undefined;
  } catch {
    return undefined;
  }
}

export const forgetVisitSession = () => sessionStorage.removeItem(VISIT_SESSION_STORAGE_KEY);

/** Keeps a redeemed visit session for this tab: {@link passClient} and the realtime socket send it. */
export function keepVisitSession(redeemed: RedeemedPass): RedeemedPass {
  sessionStorage.setItem(VISIT_SESSION_STORAGE_KEY, JSON.stringify(redeemed));
  return redeemed;
}

/** Redeems the link's token (once) and keeps the session for this tab. */
export async function redeemLink(token: string): Promise<RedeemedPass> {
  return keepVisitSession(await client.call('redeemVisitPass', { token }));
}

/** The REST client of a pass holder's pages: the visit session, never the Cognito token. */
export const passClient = createApiClient({
  baseUrl: async () => (await loadConfig()).apiUrl,
  token: () => {
    const session = storedVisitSession();
    return session ? `${PASS_AUTH_SCHEME} ${session.sessionToken}` : undefined;
  },
  correlationId: () => crypto.randomUUID(),
});
