/**
 * Composition root for the admin console's doctor accounts: the list, deactivation, reactivation
 * and invitations. Its Cognito calls are the three the routes are granted (functions/routes.ts).
 */
import type { DoctorAccountDeps } from '../../core/doctor-accounts';
import { systemClock } from '../../core/ports';
import { userPoolOf, type Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { cognitoClient } from '../cognito/client';
import { cognitoDoctorSignIn } from '../cognito/directory';
import { dynamoAppointments } from '../dynamo/appointments';
import { dynamoAudit } from '../dynamo/audit';
import { dynamoTable } from '../dynamo/client';
import { dynamoConnections } from '../dynamo/connections';
import { dynamoDoctorAccounts, dynamoProfiles } from '../dynamo/profiles';
import { closeConnection } from '../realtime';
import type { Area, Overrides } from './area';
import { schedulesOf } from './schedules';
import { sessionsOf } from './session-check';
import { connectionsApi } from './ws';

export type DoctorAccountsAreaDeps = DoctorAccountDeps & HttpDeps;

export function composeDoctorAccounts(config: Config, overrides: Overrides = {}): DoctorAccountsAreaDeps {
  const table = dynamoTable(config);
  const sessions = sessionsOf(config);
  const connections = dynamoConnections(table);
  const api = connectionsApi(config);
  return {
    profiles: dynamoProfiles(table),
    doctorAccounts: dynamoDoctorAccounts(table),
    signIn: cognitoDoctorSignIn(cognitoClient(config), userPoolOf(config).userPoolId),
    appointments: dynamoAppointments(table),
    schedules: schedulesOf(config, table),
    audit: dynamoAudit(table),
    clock: overrides.clock ?? systemClock,
    sessionClock: systemClock,
    // Deactivation closes the doctor's open WebSockets (the @connections API is reached only then).
    connections: { listForUser: (userId) => connections.listForUser(userId) },
    closer: { close: (connectionId) => closeConnection(connectionId, connections.delete, api) },
    invitationDelivery: config.cognitoLocalEndpoint ? 'shown' : 'email',
    allowedOrigins: config.allowedOrigins,
    sessions,
  };
}

export const doctorAccountsArea: Area<DoctorAccountsAreaDeps> = {
  name: 'doctor-accounts',
  compose: composeDoctorAccounts,
};
