import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  EmailAlreadyRegistered,
  InvitationAccepted,
  PasswordRejected,
  type DoctorSignIn,
  type GroupMembership,
  type IdentityDirectory,
} from '../../core/ports';

function subOf(attributes: { Name?: string; Value?: string }[] | undefined): string {
  const sub = attributes?.find((a) => a.Name === 'sub')?.Value;
  if (!sub) throw new Error('Cognito returned a user without sub');
  return sub;
}

async function attempt<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'UsernameExistsException') throw new EmailAlreadyRegistered();
    if (name === 'InvalidPasswordException')
      throw new PasswordRejected('The password does not meet the policy');
    throw err;
  }
}

/** AdminAddUserToGroup only: what the email-confirmation trigger may do to the pool. */
export function cognitoGroups(client: CognitoIdentityProviderClient): GroupMembership {
  return {
    async addToGroup({ userPoolId, username }, group) {
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
      );
    },
  };
}

/**
 * The operator's side of the identity store (admin rights): seeding and doctor accounts. Email is
 * the username, `sub` is the user id everywhere, and group membership (set only server-side: here
 * and in the confirmation trigger) is the role.
 */
export function cognitoDirectory(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): IdentityDirectory {
  async function create(
    email: string,
    attributes: Record<string, string>,
    options: { temporaryPassword?: string; suppressMessage: boolean },
  ): Promise<string> {
    const created = await attempt(() =>
      client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: email,
          TemporaryPassword: options.temporaryPassword,
          MessageAction: options.suppressMessage ? 'SUPPRESS' : undefined,
          DesiredDeliveryMediums: options.suppressMessage ? undefined : ['EMAIL'],
          UserAttributes: Object.entries({ email, email_verified: 'true', ...attributes }).map(
            ([Name, Value]) => ({ Name, Value }),
          ),
        }),
      ),
    );
    return subOf(created.User?.Attributes);
  }

  const groups = cognitoGroups(client);
  const addToGroup = (email: string, group: 'patient' | 'doctor') =>
    groups.addToGroup({ userPoolId, username: email }, group);

  async function undo(email: string) {
    try {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: email }));
    } catch {
      // Best effort: the caller is already failing with the original error.
    }
  }

  return {
    async createPatient({ email, password, name, phone }) {
      const userId = await create(email, { name, phone_number: phone }, { suppressMessage: true });
      try {
        await attempt(() =>
          client.send(
            new AdminSetUserPasswordCommand({
              UserPoolId: userPoolId,
              Username: email,
              Password: password,
              Permanent: true,
            }),
          ),
        );
        await addToGroup(email, 'patient');
      } catch (err) {
        await undo(email);
        throw err;
      }
      return userId;
    },
    async createDoctor({ email, name, temporaryPassword }) {
      // Locally there is no mail: the caller hands the temporary password over instead.
      const userId = await create(email, { name }, { temporaryPassword, suppressMessage: false });
      try {
        await addToGroup(email, 'doctor');
      } catch (err) {
        await undo(email);
        throw err;
      }
      return userId;
    },
    async deleteUser(userId) {
      try {
        await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: userId }));
      } catch (err) {
        // Already gone (a repeated deletion): the outcome asked for holds.
        if ((err as { name?: string }).name !== 'UserNotFoundException') throw err;
      }
    },
  };
}

/**
 * What the admin console does to a doctor's sign-in: AdminDisableUser, AdminEnableUser, and
 * AdminCreateUser with `MessageAction: RESEND` (only these are granted: functions/routes.ts).
 */
export function cognitoDoctorSignIn(client: CognitoIdentityProviderClient, userPoolId: string): DoctorSignIn {
  return {
    async disable(userId) {
      await client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: userId }));
    },
    async enable(userId) {
      await client.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: userId }));
    },
    async resendInvitation({ email, temporaryPassword }) {
      try {
        await client.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            TemporaryPassword: temporaryPassword,
            MessageAction: 'RESEND',
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
      } catch (err) {
        // Cognito resends only while the user must still change the temporary password.
        if ((err as { name?: string }).name === 'UnsupportedUserStateException')
          throw new InvitationAccepted();
        throw err;
      }
    },
  };
}
