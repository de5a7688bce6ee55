/**
 * A patient's data rights: a copy of everything we hold about them (`GET /me/export`), and closing
 * their account (`POST /me/deletion`). What deletion erases and what it keeps is documented in
 * docs/security.md ("Data retention").
 */
import { allPages, type Appointment } from '../../shared/appointments';
import type { AccountDeletion, DataExport, ExportedAppointment } from '../../shared/data-rights';
import { publicProfile } from './accounts';
import { cancelAppointment, patientsView, type AppointmentDeps } from './appointments';
import { NotFound } from './errors';
import type { Identity } from './identity';
import type {
  AppointmentRepository,
  AuditLog,
  ChatRepository,
  Clock,
  ConsentRepository,
  IdentityDirectory,
  OutboxReader,
  ProfileRepository,
  StoredProfile,
  VisitQualityRepository,
} from './ports';
import { endAllSessions, type EndSessionsDeps } from './sessions';

/** Items per Query: every list is read a page at a time, never in one unbounded request. */
const PAGE = 100;
/** Appointments whose notes, consents and chat are read at the same time. */
const PARALLEL_APPOINTMENTS = 8;

export interface DataExportDeps {
  profiles: ProfileRepository;
  appointments: Pick<AppointmentRepository, 'listForPatient' | 'getNotes'>;
  chat: Pick<ChatRepository, 'list'>;
  consents: Pick<ConsentRepository, 'list'>;
  visitQuality: Pick<VisitQualityRepository, 'getFeedback'>;
  /** The texts this platform keeps (the local outbox); absent where texts go unkept to the provider. */
  outbox?: OutboxReader;
  audit: AuditLog;
  clock: Clock;
}

/** Maps `items` with at most `width` calls of `map` under way at once, keeping their order. */
async function inBatches<T, R>(items: readonly T[], width: number, map: (item: T) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    out.push(...(await Promise.all(items.slice(i, i + width).map(map))));
  }
  return out;
}

async function exportAppointment(
  appointment: Appointment,
  patientId: string,
  deps: DataExportDeps,
): Promise<ExportedAppointment> {
  const { appointmentId } = appointment;
  const [notes, telehealth, recording, messages, feedback] = await Promise.all([
    deps.appointments.getNotes(appointmentId),
    deps.consents.list(appointmentId, 'telehealth'),
    deps.consents.list(appointmentId, 'recording'),
    allPages((cursor) => deps.chat.list(appointmentId, cursor, PAGE)),
    deps.visitQuality.getFeedback(appointmentId, patientId),
  ]);
  const summary = patientsView(notes);
  return {
    ...appointment,
    ...(summary ? { sharedSummary: { summary: summary.summary, updatedAt: summary.updatedAt } } : {}),
    // The patient's own consents; the doctor's answers are the doctor's.
    consents: [...telehealth, ...recording]
      .filter((c) => c.userId === patientId)
      .map(({ kind, value, version, at }) => ({ kind, value, version, at })),
    messages,
    ...(feedback
      ? {
          feedback: {
            visitRating: feedback.visitRating,
            callRating: feedback.callRating,
            ...(feedback.comment ? { comment: feedback.comment } : {}),
            submittedAt: feedback.submittedAt,
          },
        }
      : {}),
  };
}

/**
 * Everything we hold about the calling patient: profile, consents, every appointment with its
 * shared summary, consents and chat, and the texts we kept. A read of health data: the route
 * audits it (`audits` in functions/routes.ts).
 */
export async function exportPatientData(
  patient: Pick<Identity, 'userId'>,
  deps: DataExportDeps,
): Promise<DataExport> {
  const stored = await deps.profiles.get(patient.userId);
  if (!stored || stored.deletedAt) throw new NotFound('No profile exists for this account');
  const appointments = await allPages((cursor) =>
    deps.appointments.listForPatient(patient.userId, { cursor, limit: PAGE, order: 'desc' }),
  );
  const outbox = deps.outbox;
  const [exported, texts] = await Promise.all([
    inBatches(appointments, PARALLEL_APPOINTMENTS, (a) => exportAppointment(a, patient.userId, deps)),
    outbox ? allPages((cursor) => outbox.list(patient.userId, cursor, PAGE)) : null,
  ]);
  return {
    exportedAt: deps.clock.now().toISOString(),
    profile: publicProfile(stored),
    consents: { ...stored.consents, smsOptIn: stored.smsOptIn ?? false },
    appointments: exported,
    texts,
  };
}

// ---- Deletion -----------------------------------------------------------------------------------

export interface AccountDeletionDeps extends AppointmentDeps, EndSessionsDeps {
  directory: Pick<IdentityDirectory, 'deleteUser'>;
  visitQuality: Pick<VisitQualityRepository, 'eraseText'>;
}

/** The name a deleted patient's profile shows (to a doctor who opens their records, say). */
export const DELETED_PATIENT_NAME = 'Deleted patient';
/** The reason the doctor sees on appointments cancelled by a deletion. */
export const ACCOUNT_DELETED_REASON = 'The patient deleted their account';

/**
 * What remains of a deleted patient's profile: id, role, dates and the versions of the terms they
 * accepted. Name, email, phone and date of birth are gone; texts are off.
 */
export function erasedProfile(
  stored: StoredProfile,
  deletedAt: string,
): StoredProfile & { deletedAt: string } {
  return {
    userId: stored.userId,
    role: stored.role,
    name: DELETED_PATIENT_NAME,
    email: '',
    smsOptIn: false,
    createdAt: stored.createdAt,
    deletedAt,
    ...(stored.consents ? { consents: stored.consents } : {}),
  };
}

/**
 * Cancels the patient's booked appointments that have not started, through the same cancellation
 * as a click on "Cancel" (the doctor's dashboard is told, the time freed, the reminder dropped), but
 * without the online cut-off. One cancelled meanwhile by a concurrent request is skipped.
 */
async function cancelFutureAppointments(patient: Identity, deps: AccountDeletionDeps): Promise<number> {
  const now = deps.clock.now().getTime();
  const booked = await allPages((cursor) =>
    deps.appointments.listForPatient(patient.userId, {
      from: new Date(now).toISOString(),
      statuses: ['booked'],
      cursor,
      limit: PAGE,
      order: 'asc',
    }),
  );
  let cancelled = 0;
  for (const appointment of booked.filter((a) => Date.parse(a.start) > now)) {
    try {
      await cancelAppointment(patient, appointment.appointmentId, ACCOUNT_DELETED_REASON, deps, {
        closingAccount: true,
      });
      cancelled++;
    } catch (err) {
      const current = await deps.appointments.get(appointment.appointmentId);
      if (current?.status !== 'cancelled') throw err;
    }
  }
  return cancelled;
}

/**
 * Erases the comments the patient left in feedback on any of their visits (what they wrote about the
 * experience is theirs, not a clinical record); the ratings stay in the practice's figures.
 */
async function eraseFeedbackText(patient: Identity, deps: AccountDeletionDeps): Promise<void> {
  const appointments = await allPages((cursor) =>
    deps.appointments.listForPatient(patient.userId, { cursor, limit: PAGE, order: 'asc' }),
  );
  const ids = appointments.map((a) => a.appointmentId);
  await inBatches(ids, PARALLEL_APPOINTMENTS, (id) => deps.visitQuality.eraseText(id, patient.userId));
}

/**
 * Closes the calling patient's account. Each step may run again, so a repeated request (or one
 * after a failure half-way) completes the deletion and answers the same `deletedAt`:
 * 1. the profile's personal fields are erased and it is marked deleted (a booking is refused then);
 * 2. future appointments are cancelled, and the comments of their visit feedback erased;
 * 3. the sign-in (Cognito user, with its copy of email, name and phone) is deleted;
 * 4. every session ends: tokens already issued are refused, open sockets closed. Last, so that
 *    until the deletion is complete the patient can still send it again.
 * Appointments, notes, chat, consents and the audit trail are kept (clinical and legal records).
 */
export async function deletePatientAccount(
  patient: Identity,
  requestId: string | undefined,
  deps: AccountDeletionDeps,
): Promise<AccountDeletion> {
  const stored = await deps.profiles.get(patient.userId);
  if (!stored) throw new NotFound('No profile exists for this account');
  const deletedAt =
    stored.deletedAt ??
    (await deps.profiles.markDeleted(erasedProfile(stored, deps.clock.now().toISOString())));
  const cancelledAppointments = await cancelFutureAppointments(patient, deps);
  await eraseFeedbackText(patient, deps);
  await deps.directory.deleteUser(patient.userId);
  await endAllSessions(patient.userId, deps);
  await deps.audit.record({
    action: 'account.deleted',
    actorId: patient.userId,
    targetId: patient.userId,
    requestId,
  });
  return { deletedAt, cancelledAppointments };
}
