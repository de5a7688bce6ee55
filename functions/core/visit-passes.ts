/**
 * Visit passes (docs/adr/0021-visit-passes.md): a one-time link for ONE visit, redeemed once for a
 * visit session that lives until the visit's window ends or the visit ends, whichever is first.
 * Only hashes of the link's and the session's tokens are stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Appointment } from '../../shared/appointments';
import type { PassHolder, RedeemedPass, VisitFacts } from '../../shared/visit-pass';
import { Gone } from './errors';
import type { AuditLog, Clock } from './ports';

/** Minutes a pass and its session outlive the appointment's end (a visit that runs a little over). */
export const PASS_SLACK_MINUTES = 30;

export interface StoredPass {
  /** SHA-256 of the link's token, hex. */
  hash: string;
  appointmentId: string;
  holder: PassHolder;
  /** The patient's user id, or a guest's generated id (`guest_<uuid>`). */
  holderId: string;
  /** Epoch seconds (also the TTL). */
  expiresAt: number;
  createdBy: string;
}

/** What a verified visit session lets its holder act as. */
export interface VisitSession {
  appointmentId: string;
  holder: PassHolder;
  holderId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface VisitPassStore {
  createPass(pass: StoredPass): Promise<void>;
  /**
   * Marks the pass used in ONE conditional write (never used, not expired at `nowSeconds`); answers
   * the pass, or undefined when it is unknown, used or expired.
   */
  redeem(hash: string, nowSeconds: number, usedAt: string): Promise<StoredPass | undefined>;
  createSession(hash: string, session: VisitSession): Promise<void>;
  getSession(hash: string): Promise<VisitSession | undefined>;
  /** Deletes one pass (a texted link replaced by a new one); an unknown hash is no error. */
  revokePass(hash: string): Promise<void>;
  /** Deletes the passes and sessions of a visit (all of them, or one holder's). */
  revoke(appointmentId: string, holderId?: string): Promise<void>;
}

export interface VisitPassDeps {
  visitPasses: VisitPassStore;
  audit: AuditLog;
  clock: Clock;
}

export const newPassToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Epoch seconds at which a visit's passes and sessions stop working. */
export function passExpiry(appointment: Pick<Appointment, 'end'>): number {
  return Math.ceil((Date.parse(appointment.end) + PASS_SLACK_MINUTES * 60_000) / 1000);
}

/** A new one-time link for one holder of one visit; answers the token (stored only as its hash). */
export async function issuePass(
  appointment: Appointment,
  holder: { kind: PassHolder; id: string },
  createdBy: string,
  deps: VisitPassDeps,
): Promise<string> {
  const token = newPassToken();
  await deps.visitPasses.createPass({
    hash: tokenHash(token),
    appointmentId: appointment.appointmentId,
    holder: holder.kind,
    holderId: holder.id,
    expiresAt: passExpiry(appointment),
    createdBy,
  });
  await deps.audit.record({
    action: 'pass.created',
    actorId: createdBy,
    patientId: appointment.patientId,
    targetId: appointment.appointmentId,
  });
  return token;
}

const unusable = () =>
  new Gone(
    'This link has been used or has expired. Sign in, or ask the practice for a new link.',
    'pass_unusable',
  );

/**
 * Redeems a link once. Unknown, used and expired links get the same answer (no hint which); the
 * refusal is audited without the token.
 */
export async function redeemPass(
  token: string,
  deps: VisitPassDeps,
  describe: (pass: StoredPass) => Promise<VisitFacts | undefined>,
  requestId?: string,
): Promise<RedeemedPass> {
  const now = deps.clock.now();
  const pass = await deps.visitPasses.redeem(
    tokenHash(token),
    Math.floor(now.getTime() / 1000),
    now.toISOString(),
  );
  const visit = pass && (await describe(pass));
  if (!pass || !visit) {
    await deps.audit.record({ action: 'pass.refused', actorId: 'anonymous', requestId });
    throw unusable();
  }
  const sessionToken = newPassToken();
  await deps.visitPasses.createSession(tokenHash(sessionToken), {
    appointmentId: pass.appointmentId,
    holder: pass.holder,
    holderId: pass.holderId,
    expiresAt: pass.expiresAt,
  });
  await deps.audit.record({
    action: 'pass.redeemed',
    actorId: pass.holderId,
    targetId: pass.appointmentId,
    requestId,
  });
  return { sessionToken, expiresAt: new Date(pass.expiresAt * 1000).toISOString(), visit };
}

/** Checks a visit session token (one GetItem); undefined when unknown, revoked or expired. */
export interface VisitSessionCheck {
  verify(token: string): Promise<VisitSession | undefined>;
}

export function visitSessionCheck(
  store: Pick<VisitPassStore, 'getSession'>,
  clock: Clock,
): VisitSessionCheck {
  return {
    async verify(token) {
      const session = await store.getSession(tokenHash(token));
      // TTL deletes late: an expired session still found is refused here.
      if (!session || session.expiresAt * 1000 <= clock.now().getTime()) return undefined;
      return session;
    },
  };
}

/** The visit has ended (completed, cancelled, no-show): every link and session of it dies. */
export async function revokeVisitPasses(appointmentId: string, deps: Pick<VisitPassDeps, 'visitPasses'>) {
  await deps.visitPasses.revoke(appointmentId);
}
