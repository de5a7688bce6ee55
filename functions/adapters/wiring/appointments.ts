/**
 * Composition roots for appointment handlers. The outside services (reminders, the text queue, the
 * SMS provider, WebSocket pushes) are passed in by each area, and an area names only those its
 * routes use (their `uses` in functions/routes.ts): esbuild then leaves every other SDK client and
 * Twilio module out of the handler's bundle. Each service is created on first use.
 */
import type { AppointmentDeps } from '../../core/appointments';
import type { TextSenderDeps } from '../../core/notifications';
import {
  systemClock,
  type Clock,
  type Realtime,
  type ReminderScheduler,
  type SmsSender,
  type TextQueue,
} from '../../core/ports';
import { ConfigurationError, type Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { logger } from '../../lib/logger';
import { telemetry } from '../../lib/telemetry';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable, type DynamoTable } from '../dynamo/client';
import { dynamoProfiles } from '../dynamo/profiles';
import { dynamoRateLimiter } from '../dynamo/rate-limits';
import { dynamoSentTexts } from '../dynamo/sent-texts';
import { dynamoRescues } from '../dynamo/rescues';
import { mintVisitLink } from '../../core/rescue';
import { dynamoGuests } from '../dynamo/guests';
import { dynamoVisitPasses } from '../dynamo/visit-passes';
import { guestInvitationText, type GuestRepository } from '../../core/guests';
import { visitSessionCheck, type VisitSessionCheck } from '../../core/visit-passes';
import type { Area, Overrides } from './area';
import { schedulesOf } from './schedules';
import { sessionsOf } from './session-check';

/** What the appointment and live compositions share: one table client, the clock, the overrides. */
export interface AppointmentsContext {
  config: Config;
  table: DynamoTable;
  clock: Clock;
  overrides: Overrides;
}

export function appointmentsContext(config: Config, overrides: Overrides = {}): AppointmentsContext {
  return { config, table: dynamoTable(config), clock: overrides.clock ?? systemClock, overrides };
}

/** The outside services of one composition, each built from the context on first use. */
export interface AppointmentServices {
  /** Capability `reminders`: EventBridge Scheduler on AWS, the table locally. */
  reminders?: (context: AppointmentsContext) => ReminderScheduler;
  /** Capability `sms`: texts queued for the send-text job. */
  texts?: (context: AppointmentsContext) => TextQueue;
  /** The send-text job only: the provider that sends. */
  sms?: (context: AppointmentsContext) => SmsSender;
  /** Capability `realtime`: frames pushed to the users' WebSocket connections. */
  realtime?: (context: AppointmentsContext) => Realtime;
}

/** A service the area did not name: using it is a wiring mistake, reported by name. */
function notComposed(service: string): never {
  throw new ConfigurationError(`This function's composition has no ${service} (functions/adapters/wiring)`);
}

/** `create(context)` on first use, once; `notComposed` if the area has no such service. */
function once<T>(
  context: AppointmentsContext,
  service: string,
  create: ((context: AppointmentsContext) => T) | undefined,
): () => T {
  let value: T | undefined;
  return () => (value ??= create ? create(context) : notComposed(service));
}

export type AppointmentsDeps = AppointmentDeps &
  TextSenderDeps &
  HttpDeps & { guests: GuestRepository; visitSessions: VisitSessionCheck };

export function appointmentDeps(
  context: AppointmentsContext,
  services: AppointmentServices = {},
): AppointmentsDeps {
  const { config, table } = context;
  const scheduler = once(context, 'reminder scheduler', services.reminders);
  const texts = once(context, 'text queue', services.texts);
  const sms = once(context, 'SMS provider', services.sms);
  const realtime = once(context, 'WebSocket pushes', services.realtime);
  const rescues = dynamoRescues(table);
  const rescuePolicy = {
    noShowGraceMinutes: config.noShowGraceMinutes,
    timeZone: config.practiceTimeZone,
    // Texted links open the web app: its origin is the first (on AWS the only) allowed origin.
    webOrigin: config.allowedOrigins[0] ?? '',
  };
  const visitPasses = dynamoVisitPasses(table);
  const deps: AppointmentsDeps = {
    visitPasses,
    guests: dynamoGuests(table),
    visitSessions: visitSessionCheck(visitPasses, context.clock),
    guestInvitation: (appointmentId, guestId) =>
      guestInvitationText(appointmentId, guestId, { ...deps, webOrigin: config.allowedOrigins[0] ?? '' }),
    appointments: dynamoAppointments(table),
    profiles: dynamoProfiles(table),
    schedules: schedulesOf(config, table),
    reminders: {
      schedule: (id, at, job) => scheduler().schedule(id, at, job),
      cancel: (id) => scheduler().cancel(id),
    },
    realtime: {
      toUser: (userId, frame, onlyInCall) => realtime().toUser(userId, frame, onlyInCall),
      toConnection: (connectionId, frame) => realtime().toConnection(connectionId, frame),
    },
    sms: { send: (message) => sms().send(message) },
    texts: { enqueue: (request) => texts().enqueue(request) },
    sentTexts: dynamoSentTexts(table),
    audit: dynamoAudit(table),
    rateLimiter: dynamoRateLimiter(table),
    clock: context.clock,
    log: logger,
    metrics: telemetry,
    policy: {
      changeCutoffMinutes: config.appointmentChangeCutoffMinutes,
      minNoticeMinutes: config.appointmentMinNoticeMinutes,
      reminderMinutesBefore: config.reminderMinutesBefore,
      maxUpcomingAppointments: config.maxUpcomingAppointments,
      bookingsPerMinute: config.bookingsPerMinute,
    },
    rescues,
    rescuePolicy,
    visitLinks: (appointment) => mintVisitLink(appointment, { ...deps, webOrigin: rescuePolicy.webOrigin }),
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
    practiceName: config.practiceName,
  };
  return deps;
}

function composeWith(services: AppointmentServices): Area<AppointmentsDeps>['compose'] {
  return (config, overrides) => appointmentDeps(appointmentsContext(config, overrides), services);
}

/** Schedules, lists, visits' notes, patients: the table only. */
export const appointmentsArea: Area<AppointmentsDeps> = { name: 'appointments', compose: composeWith({}) };
