import { PATIENT_SESSION_MAX_DAYS, SESSION_MAX_HOURS } from '../../shared/policy';
import { effectiveRole } from '../../shared/roles';

/**
 * How long a browser sign-in lasts. Tokens are shared by all tabs of the app (localStorage), so the
 * rules are kept next to them: the session ends after `idleMs` without activity in any tab of the app,
 * or `maxMs` after sign-in, whichever comes first. Activity in any tab marks the session as seen.
 */
export interface SessionRules {
  idleMs: number;
  maxMs: number;
}

/** The longest a sign-in lasts: 12 hours for staff (doctors, admins), 7 days for patients. */
export function maxSessionMs(groups: readonly string[]): number {
  return effectiveRole(groups) === 'patient'
    ? PATIENT_SESSION_MAX_DAYS * 86_400_000
    : SESSION_MAX_HOURS * 3_600_000;
}

export interface SessionStamp {
  /** When the user signed in (epoch ms). */
  startedAt: number;
  /** The last activity in a tab of the app (epoch ms). */
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

/**
 * Whether a session has ended, and why: `idle` (no activity for `idleMs`) or `over` (past its maximum,
 * or without a stamp, or with a stamp from the future); undefined while it lasts.
 */
export function sessionEnd(
  stamp: SessionStamp | undefined,
  now: number,
  rules: SessionRules,
): 'idle' | 'over' | undefined {
  if (!stamp) return 'over';
  if (stamp.startedAt > now + 60_000 || stamp.seenAt > now + 60_000) return 'over';
  if (now - stamp.startedAt > rules.maxMs) return 'over';
  if (now - stamp.seenAt >= rules.idleMs) return 'idle';
  return undefined;
}

export type IdlePhase = { kind: 'active' } | { kind: 'warning'; secondsLeft: number } | { kind: 'expired' };

/** Where a session last seen at `seenAt` stands: active, in its final `warningMs` (a countdown), or over. */
export function idlePhase(
  seenAt: number,
  now: number,
  idle: { idleMs: number; warningMs: number },
): IdlePhase {
  const left = seenAt + idle.idleMs - now;
  if (left <= 0) return { kind: 'expired' };
  if (left <= idle.warningMs) return { kind: 'warning', secondsLeft: Math.ceil(left / 1000) };
  return { kind: 'active' };
}

/** What the login page says after an idle sign-out ("… after 15 minutes without activity"). */
export function idleSignOutNotice(idleSeconds: number): string {
  const time =
    idleSeconds % 60 === 0
      ? `${idleSeconds / 60} ${idleSeconds === 60 ? 'minute' : 'minutes'}`
      : `${idleSeconds} ${idleSeconds === 1 ? 'second' : 'seconds'}`;
  return `You were signed out after ${time} without activity`;
}
