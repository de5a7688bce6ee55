import { SESSION_IDLE_MINUTES, SESSION_MAX_HOURS } from '../../shared/policy';

/**
 * How long a browser sign-in lasts. Tokens are shared by all tabs of the app (localStorage), so the
 * rules are kept next to them: the session ends when no tab of the app has been open for
 * `idleMs`, or `maxMs` after sign-in, whichever comes first. Every open tab marks the session as seen.
 */
export interface SessionRules {
  idleMs: number;
  maxMs: number;
}

export const SESSION_RULES: SessionRules = {
  idleMs: SESSION_IDLE_MINUTES * 60_000,
  maxMs: SESSION_MAX_HOURS * 3_600_000,
};

export interface SessionStamp {
  /** When the user signed in (epoch ms). */
  startedAt: number;
  /** The last time a tab of the app was open (epoch ms). */
  seenAt: number;
}

export function parseStamp(raw: string | null): SessionStamp | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<SessionStamp>;
    if (typeof value.startedAt === 'number' && typeof value.seenAt === 'number')
      return { startedAt: value.startedAt, seenAt: value.seenAt };
  } catch {
    // A damaged stamp ends the session like a missing one.
  }
  return undefined;
}

/** A session without a stamp (or with a stamp from the future) is treated as expired. */
export function sessionExpired(stamp: SessionStamp | undefined, now: number, rules = SESSION_RULES): boolean {
  if (!stamp) return true;
  if (stamp.startedAt > now + 60_000 || stamp.seenAt > now + 60_000) return true;
  return now - stamp.seenAt > rules.idleMs || now - stamp.startedAt > rules.maxMs;
}
