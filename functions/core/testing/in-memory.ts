/**
 * In-memory implementations of core's ports, for domain tests. They honour the same conditions as
 * the DynamoDB adapters, and a change to an appointment and its claims is all or nothing, exactly
 * like one TransactWriteItems (the contract suite in ./repository-contract.ts runs against both).
 */
import type { Appointment, Availability, DoctorSummary, Page } from '../../../shared/appointments';
import type { ServerFrame } from '../../../shared/live';
import {
  BookingKeyTaken,
  StaleWrite,
  TimeTaken,
  type AppointmentRepository,
  type AuditEntry,
  type BookingKey,
  type BusinessEvent,
  type DoctorPatientLink,
  type ListOptions,
  type RateLimiter,
  type ReminderScheduler,
  type SessionStore,
  type SmsMessage,
  type SmsSender,
  type StoredProfile,
  type TextQueue,
  type TextRequest,
  type TextState,
  type DeliveryReport,
  type StoredVisitQuality,
  type VisitQualityRepository,
  type TimeClaim,
} from '../ports';
import { mintVisitLink } from '../rescue';
import type { RescueState, VisitWeek } from '../../../shared/rescue';
import { gcraStep } from '../rate-limits';
import type { AppointmentDeps } from '../appointments';
import { cachedSchedules, storedSchedules } from '../schedules';
import { deliverText, type ErrorLog, type TextSenderDeps } from '../notifications';
import { guestInvitationText, type GuestRepository } from '../guests';
import { inMemoryGuests, inMemoryVisitPasses } from './in-memory-passes';

/** Attempts the in-memory queue makes before a text goes to its dead letters (SQS: maxReceiveCount). */
const TEXT_ATTEMPTS = 5;

function page<T>(items: T[], cursor: string | undefined, limit: number): Page<T> {
  const start = cursor ? Number(cursor) : 0;
  const slice = items.slice(start, start + limit);
  return { items: slice, nextCursor: start + limit < items.length ? String(start + limit) : undefined };
}

export function inMemoryDeps(now: { value: Date }) {
  const appointments = new Map<string, Appointment>();
  const availability = new Map<string, Availability>();
  const links = new Map<string, DoctorPatientLink>();
  const notes = new Map<string, any>();
  const profiles = new Map<string, StoredProfile>();
  /** Claim id (`owner|bucket`) → the appointment holding it. */
  const claims = new Map<string, string>();
  const bookingKeys = new Map<string, BookingKey>();
  let crashAfterSteps: number | undefined;
  const sent: SmsMessage[] = [];
  const reminders = new Map<string, Date>();
  const audit: AuditEntry[] = [];
  const warnings: { message: string; attributes: Record<string, unknown> }[] = [];
  const errors: { message: string; attributes: Record<string, unknown> }[] = [];
  const counted: BusinessEvent[] = [];
  const pushed: { userId?: string; connectionId?: string; frame: ServerFrame; onlyInCall?: string }[] = [];
  let smsFailures = 0;

  const list = (filter: (a: Appointment) => boolean, o: ListOptions) => {
    const items = [...appointments.values()]
      .filter(filter)
      .filter((a) => (!o.from || a.start >= o.from) && (!o.to || a.start <= o.to))
      .filter((a) => !o.statuses || o.statuses.includes(a.status))
      .filter((a) => !o.doctorId || a.doctorId === o.doctorId)
      .sort((a, b) => (o.order === 'asc' ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start)));
    return Promise.resolve(page(items, o.cursor, o.limit));
  };

  const claimId = (c: TimeClaim) => `${c.owner}|${c.bucket}`;

  /**
   * Applies the steps of one change to copies of the stores and swaps them in only when every step
   * passed: a refused condition, or a crash injected between steps, leaves nothing behind.
   */
  function transact(
    steps: ((draft: {
      appointments: typeof appointments;
      claims: typeof claims;
      bookingKeys: typeof bookingKeys;
    }) => void)[],
  ) {
    // DynamoDB's limit on the items of one transaction.
    if (steps.length > 100) throw new Error(`A transaction of ${steps.length} items exceeds 100`);
    const draft = {
      appointments: new Map(appointments),
      claims: new Map(claims),
      bookingKeys: new Map(bookingKeys),
    };
    steps.forEach((step, index) => {
      if (crashAfterSteps !== undefined && index === crashAfterSteps) {
        crashAfterSteps = undefined;
        throw Object.assign(new Error('simulated crash between steps'), { name: 'SimulatedCrash' });
      }
      step(draft);
    });
    for (const [live, next] of [
      [appointments, draft.appointments],
      [claims, draft.claims],
      [bookingKeys, draft.bookingKeys],
    ] as [Map<string, unknown>, Map<string, unknown>][]) {
      live.clear();
      for (const [k, v] of next) live.set(k, v);
    }
  }

  const addClaim = (claim: TimeClaim, appointmentId: string) => (d: { claims: typeof claims }) => {
    if (d.claims.has(claimId(claim))) throw new TimeTaken(claim);
    d.claims.set(claimId(claim), appointmentId);
  };
  const removeClaim = (claim: TimeClaim, appointmentId: string) => (d: { claims: typeof claims }) => {
    if (d.claims.get(claimId(claim)) !== appointmentId)
      throw new Error(`claim ${claim.bucket} is not held by this appointment`);
    d.claims.delete(claimId(claim));
  };

  const repo: AppointmentRepository = {
    getAvailability: async (id) => availability.get(id),
    putAvailability: async (id, a) => void availability.set(id, a),
    create: async (a, toClaim, bookingKey) =>
      transact([
        (d) => {
          if (d.appointments.has(a.appointmentId)) throw new StaleWrite();
          d.appointments.set(a.appointmentId, { ...a });
        },
        ...(bookingKey
          ? [
              (d: { bookingKeys: typeof bookingKeys }) => {
                const id = `${bookingKey.patientId}|${bookingKey.key}`;
                const held = d.bookingKeys.get(id);
                if (held && held.expiresAt >= Math.floor(Date.parse(a.createdAt) / 1000))
                  throw new BookingKeyTaken();
                d.bookingKeys.set(id, { ...bookingKey });
              },
            ]
          : []),
        ...toClaim.map((c) => addClaim(c, a.appointmentId)),
      ]),
    get: async (id) => (appointments.has(id) ? { ...appointments.get(id)! } : undefined),
    update: async (expected, changes, claimChanges) => {
      const next = { ...expected, ...changes, version: expected.version + 1 };
      transact([
        (d) => {
          if (d.appointments.get(expected.appointmentId)?.version !== expected.version)
            throw new StaleWrite();
          d.appointments.set(expected.appointmentId, next);
        },
        ...(claimChanges?.add ?? []).map((c) => addClaim(c, expected.appointmentId)),
        ...(claimChanges?.remove ?? []).map((c) => removeClaim(c, expected.appointmentId)),
      ]);
      return { ...next };
    },
    listBusy: async (doctorId, from, to) => {
      const holders = new Set<string>();
      for (const [id, appointmentId] of claims)
        if (id.startsWith(`doctor:${doctorId}|`)) holders.add(appointmentId);
      return [...holders]
        .map((id) => appointments.get(id)!)
        .map(({ appointmentId, start, end }) => ({
          appointmentId,
          start: Date.parse(start),
          end: Date.parse(end),
        }))
        .filter((b) => b.start >= from && b.start <= to)
        .sort((a, b) => a.start - b.start);
    },
    findBookingKey: async (patientId, key, nowSeconds) => {
      const held = bookingKeys.get(`${patientId}|${key}`);
      return held && held.expiresAt >= nowSeconds ? { ...held } : undefined;
    },
    listForDoctor: (id, o) => list((a) => a.doctorId === id, o),
    listForPatient: (id, o) => list((a) => a.patientId === id, o),
    linkDoctorPatient: async (l) => {
      const key = `${l.doctorId}/${l.patientId}`;
      links.set(key, { ...l, firstBookedAt: links.get(key)?.firstBookedAt ?? l.firstBookedAt });
    },
    getDoctorPatient: async (d, p) => links.get(`${d}/${p}`),
    listDoctorPatients: async (d, cursor, limit) =>
      page(
        [...links.values()].filter((l) => l.doctorId === d),
        cursor,
        limit,
      ),
    putNotes: async (n) => void notes.set(n.appointmentId, n),
    getNotes: async (id) => notes.get(id),
    getNotesOf: async (ids) => {
      if (ids.length > 100) throw new Error(`A batch read of ${ids.length} keys exceeds 100`);
      return new Map(ids.filter((id) => notes.has(id)).map((id) => [id, notes.get(id)]));
    },
    listDoctors: async ({ cursor, limit }) =>
      page<DoctorSummary>(
        [...profiles.values()]
          .filter((p) => p.role === 'doctor')
          .map((p) => ({ doctorId: p.userId, name: p.name, specialty: p.specialty ?? '' })),
        cursor,
        limit,
      ),
  };

  const sms: SmsSender = {
    send: async (m) => {
      if (smsFailures > 0) {
        smsFailures--;
        throw Object.assign(new Error('provider down'), { name: 'TwilioError' });
      }
      sent.push(m);
      return { providerId: `SM${sent.length}` };
    },
  };
  const sentTexts = new Map<string, TextState>();
  /** Provider id → text id, and each text's kept delivery report. */
  const providerIds = new Map<string, string>();
  const deliveries = new Map<string, DeliveryReport>();
  const queued: TextRequest[] = [];
  const deadLetters: TextRequest[] = [];
  /** A queue that delivers at once, retrying a failed send like SQS would. */
  const texts: TextQueue = {
    enqueue: async (request) => {
      queued.push(request);
      for (let attempt = 1; attempt <= TEXT_ATTEMPTS; attempt++) {
        try {
          await deliverText(request, deps);
          return;
        } catch {
          // redelivered, like a message whose visibility timeout ran out
        }
      }
      deadLetters.push(request);
    },
  };
  const scheduler: ReminderScheduler = {
    schedule: async (id, at, job = 'reminder') =>
      void reminders.set(job === 'reminder' ? id : `${id}:${job}`, at),
    cancel: async (id) => {
      reminders.delete(id);
      reminders.delete(`${id}:visit-start`);
    },
  };
  const rescues = new Map<string, RescueState & { passHash?: string }>();
  const visitWeeks = new Map<string, VisitWeek>();
  const rescueOf = (id: string) => {
    const rescue = rescues.get(id);
    if (!rescue) throw Object.assign(new Error('no rescue'), { name: 'ConditionalCheckFailedException' });
    return rescue;
  };
  const publicState = ({ passHash: _hash, ...state }: RescueState & { passHash?: string }) => ({ ...state });

  const visitPasses = inMemoryVisitPasses();
  const guests = inMemoryGuests();
  const deps: AppointmentDeps & TextSenderDeps & { log: ErrorLog; guests: GuestRepository } = {
    visitPasses: visitPasses.store,
    guests,
    guestInvitation: (appointmentId, guestId) =>
      guestInvitationText(appointmentId, guestId, { ...deps, webOrigin: 'https://app.example' }),
    rateLimiter: inMemoryRateLimiter(),
    practiceName: 'In-Memory Practice',
    appointments: repo,
    profiles: {
      put: async (p) => void profiles.set(p.userId, p),
      get: async (id) => profiles.get(id),
      markDeleted: async (erased) => {
        const deletedAt = profiles.get(erased.userId)?.deletedAt;
        if (deletedAt) return deletedAt;
        profiles.set(erased.userId, erased);
        return erased.deletedAt;
      },
      withVerifiedPhone: async (phone) =>
        [...profiles.values()].filter((p) => p.phone === phone && p.phoneVerified),
    },
    // Read afresh every time: the container cache's own behaviour is tested in schedules.test.ts.
    schedules: cachedSchedules(
      storedSchedules({ profiles: { get: async (id) => profiles.get(id) }, appointments: repo }),
      { ttlMs: 0, now: () => 0, capacity: 1 },
    ),
    reminders: scheduler,
    realtime: {
      toUser: async (userId, frame, onlyInCall) => void pushed.push({ userId, frame, onlyInCall }),
      toConnection: async (connectionId, frame) => void pushed.push({ connectionId, frame }),
    },
    sms,
    texts,
    sentTexts: {
      claim: async (id) => {
        const earlier = sentTexts.get(id);
        if (!earlier) sentTexts.set(id, 'sending');
        return earlier;
      },
      settle: async (id, state, _at, providerId) => {
        sentTexts.set(id, state);
        if (providerId) providerIds.set(providerId, id);
      },
      release: async (id) => void sentTexts.delete(id),
      recordDelivery: async (providerId, report) => {
        const id = providerIds.get(providerId);
        if (!id) return false;
        if ((deliveries.get(id)?.stage ?? 0) < report.stage) deliveries.set(id, report);
        return true;
      },
    },
    audit: { record: async (e) => void audit.push(e) },
    clock: { now: () => now.value },
    log: {
      warn: (message, attributes) => void warnings.push({ message, attributes }),
      error: (message: string, attributes: Record<string, unknown>) =>
        void errors.push({ message, attributes }),
    },
    metrics: { count: (event) => void counted.push(event) },
    rescues: {
      begin: async (state) =>
        !rescues.has(state.appointmentId) && !!rescues.set(state.appointmentId, { ...state }),
      get: async (id) => (rescues.has(id) ? publicState(rescues.get(id)!) : undefined),
      addSend: async (id) => ++rescueOf(id).sends,
      texted: async (id, at, passHash) => {
        const rescue = rescueOf(id);
        const previous = rescue.passHash;
        delete rescue.openedAt;
        Object.assign(rescue, { textedAt: at, passHash });
        return { state: publicState(rescue), previous };
      },
      opened: async (id, at) => {
        const rescue = rescues.get(id);
        if (!rescue) return undefined;
        rescue.openedAt = at;
        return publicState(rescue);
      },
      listForDoctor: async (doctorId, from, to) =>
        [...rescues.values()]
          .filter((r) => r.doctorId === doctorId && r.start >= from && r.start < to)
          .map(publicState),
      count: async (doctorId, week, counter) => {
        const key = `${doctorId}|${week}`;
        const row = visitWeeks.get(key) ?? { week, visits: 0, noShows: 0, lateJoins: 0 };
        row[counter]++;
        visitWeeks.set(key, row);
      },
      weeks: async (doctorId, fromWeek, toWeek) =>
        [...visitWeeks.entries()]
          .filter(([key, w]) => key.startsWith(`${doctorId}|`) && w.week >= fromWeek && w.week <= toWeek)
          .map(([, w]) => ({ ...w })),
    },
    rescuePolicy: {
      noShowGraceMinutes: 10,
      timeZone: 'America/New_York',
      webOrigin: 'https://app.example.test',
    },
    visitLinks: (appointment) =>
      mintVisitLink(appointment, { ...deps, webOrigin: deps.rescuePolicy.webOrigin }),
    policy: {
      changeCutoffMinutes: 120,
      minNoticeMinutes: 60,
      reminderMinutesBefore: 15,
      maxUpcomingAppointments: 3,
      bookingsPerMinute: 10,
    },
  };

  return {
    deps,
    appointments,
    claims,
    bookingKeys,
    /** The next appointment write fails after `steps` of its steps, as if the process died there. */
    crashDuringNextWrite: (steps: number) => void (crashAfterSteps = steps),
    sent,
    queued,
    deadLetters,
    sentTexts,
    deliveries,
    reminders,
    rescues,
    visitWeeks,
    audit,
    warnings,
    errors,
    /** Business events counted, in order. */
    counted,
    pushed,
    profiles,
    failNextSms: (n: number) => void (smsFailures = n),
    visitPasses,
    guests,
  };
}

/** The per-user valid-after times, counting reads (to see what a cache saves). */
export function inMemorySessionStore() {
  const validAfter = new Map<string, number>();
  let reads = 0;
  const store: SessionStore = {
    validAfter: async (userId) => {
      reads++;
      return validAfter.get(userId);
    },
    endSessions: async (userId, after) => void validAfter.set(userId, after),
  };
  return { store, validAfter, reads: () => reads };
}

/** The DynamoDB limiter's rule (GCRA) on a map. */
export function inMemoryRateLimiter(): RateLimiter {
  const tats = new Map<string, number>();
  return {
    async take(key, limit, now) {
      const step = gcraStep(tats.get(key), limit, now);
      if (!step.allowed) return step.retryAfterSeconds;
      tats.set(key, step.tat);
      return undefined;
    },
  };
}

/** Feedback and call-quality summaries: one row per author, kind family and visit; a week worst first. */
export function inMemoryVisitQuality(): VisitQualityRepository & { rows: StoredVisitQuality[] } {
  const rows: StoredVisitQuality[] = [];
  const family = (r: Pick<StoredVisitQuality, 'kind'>) => (r.kind === 'quality' ? 'quality' : 'feedback');
  const feedbackOf = (appointmentId: string, userId: string) =>
    rows.findIndex(
      (r) => r.appointmentId === appointmentId && r.userId === userId && family(r) === 'feedback',
    );
  return {
    rows,
    add: async (row) => {
      const taken = rows.some(
        (r) => r.appointmentId === row.appointmentId && r.userId === row.userId && family(r) === family(row),
      );
      if (!taken) rows.push(structuredClone(row));
      return !taken;
    },
    getFeedback: async (appointmentId, userId) => {
      const row = rows[feedbackOf(appointmentId, userId)];
      return row && structuredClone(row);
    },
    eraseText: async (appointmentId, userId) => {
      const i = feedbackOf(appointmentId, userId);
      const row = rows[i];
      if (!row) return;
      const { comment: _c, note: _n, ...kept } = row;
      rows[i] = kept;
    },
    listWeek: async (week, filter, cursor, limit): Promise<Page<StoredVisitQuality>> => {
      const matching = rows
        .filter((r) => r.week === week)
        .filter((r) => Object.entries(filter).every(([k, v]) => v === undefined || r[k as 'kind'] === v))
        .sort((a, b) => a.score - b.score || a.submittedAt.localeCompare(b.submittedAt));
      const start = Number(cursor ?? 0);
      const end = start + limit;
      return {
        items: matching.slice(start, end),
        nextCursor: end < matching.length ? String(end) : undefined,
      };
    },
  };
}
