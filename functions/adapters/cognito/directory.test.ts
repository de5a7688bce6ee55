import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InvalidPasswordException,
  UsernameExistsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmailAlreadyRegistered, PasswordRejected } from '../../core/ports';
import { cognitoDirectory } from './directory';

const cognito = mockClient(CognitoIdentityProviderClient);
const directory = cognitoDirectory(
  new CognitoIdentityProviderClient({ region: 'us-east-1' }),
  'us-east-1_pool',
);
const input = { email: 'p@example.com', password: 'Long-Enough-1x', name: 'P', phone: '+15555550100' };

describe('cognitoDirectory', () => {
  beforeEach(() => {
    cognito.reset();
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 'sub-1' }] } });
  });

  it('creates a patient with a permanent password in group patient and nothing else', async () => {
    expect(await directory.createPatient(input)).toBe('sub-1');
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input.MessageAction).toBe('SUPPRESS');
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input).toMatchObject({
      Permanent: true,
    });
    const groups = cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input.GroupName);
    expect(groups).toEqual(['patient']);
  });

  it('maps a taken username and a rejected password to domain errors, undoing the half-made user', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'x', $metadata: {} }));
    await expect(directory.createPatient(input)).rejects.toBeInstanceOf(EmailAlreadyRegistered);

    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 'sub-2' }] } });
    cognito
      .on(AdminSetUserPasswordCommand)
      .rejects(new InvalidPasswordException({ message: 'x', $metadata: {} }));
    await expect(directory.createPatient(input)).rejects.toBeInstanceOf(PasswordRejected);
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('creates a doctor with a temporary password, invited by email, in group doctor', async () => {
    await directory.createDoctor({ email: 'd@example.com', name: 'D', temporaryPassword: 'Temp-Pass-1234' });
    const created = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(created).toMatchObject({ TemporaryPassword: 'Temp-Pass-1234', DesiredDeliveryMediums: ['EMAIL'] });
    expect(created.MessageAction).toBeUndefined();
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input.GroupName).toBe('doctor');
  });

  it('deletes a user by id, takes a user already gone as done, and passes other failures on', async () => {
    await directory.deleteUser('sub-9');
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: 'us-east-1_pool',
      Username: 'sub-9',
    });
    cognito.on(AdminDeleteUserCommand).rejects(new UserNotFoundException({ message: 'x', $metadata: {} }));
    await expect(directory.deleteUser('sub-9')).resolves.toBeUndefined();
    cognito
      .on(AdminDeleteUserCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));
    await expect(directory.deleteUser('sub-9')).rejects.toThrow('throttled');
  });
});
