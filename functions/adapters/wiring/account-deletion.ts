/**
 * Composition root for a patient deleting their account: the appointment deps (cancellation tells
 * the doctor and frees the time), Cognito, and ending sessions as "sign out everywhere" does.
 */
import type { AccountDeletionDeps } from '../../core/data-rights';
import { systemClock } from '../../core/ports';
import { userPoolOf, type Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { cognitoClient } from '../cognito/client';
import { cognitoDirectory } from '../cognito/directory';
import { dynamoConnections } from '../dynamo/connections';
import { closeConnection } from '../realtime';
import { appointmentDeps, appointmentsContext } from './appointments';
import { dynamoVisitQuality } from '../dynamo/visit-quality';
import type { Area, Overrides } from './area';
import { realtimePushes } from './push';
import { reminderScheduler } from './reminders';
import { sessionsOf } from './session-check';
import { textQueue } from './text-queue';
import { connectionsApi } from './ws';

export type AccountDeletionAreaDeps = AccountDeletionDeps & HttpDeps;

export function composeAccountDeletion(config: Config, overrides?: Overrides): AccountDeletionAreaDeps {
  const context = appointmentsContext(config, overrides);
  const connections = dynamoConnections(context.table);
  const api = connectionsApi(config, overrides);
  return {
    // Cancelling the patient's appointments: reminders, texts and pushes as a cancellation has.
    ...appointmentDeps(context, {
      reminders: reminderScheduler,
      texts: textQueue,
      realtime: (c) => realtimePushes(c, api),
    }),
    directory: cognitoDirectory(cognitoClient(config), userPoolOf(config).userPoolId),
    visitQuality: dynamoVisitQuality(context.table),
    connections: { listForUser: (userId) => connections.listForUser(userId) },
    closer: {
      close: (connectionId) => closeConnection(connectionId, connections.delete, api),
    },
    sessions: sessionsOf(config),
    // Token times are Cognito's real time, even where the local platform injects a test clock.
    sessionClock: systemClock,
  };
}

export const accountDeletionArea: Area<AccountDeletionAreaDeps> = {
  name: 'account-deletion',
  compose: composeAccountDeletion,
};
