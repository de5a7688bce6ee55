import { SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EmailAlreadyRegistered, PasswordRejected, type SelfSignUp } from '../../core/ports';

/**
 * Cognito's public `SignUp` with the web app's client id: no IAM rights are involved, and the
 * account stays unconfirmed (no group, no sign-in) until its owner enters the emailed code.
 */
export function cognitoSignUp(client: CognitoIdentityProviderClient, clientId: string): SelfSignUp {
  return {
    async signUp({ email, password, name, phone }) {
      try {
        const { UserSub } = await client.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: email,
            Password: password,
            // The email is the username, so Cognito sets the attribute itself (the app client
            // may not write `email`: users change their details, not their login).
            UserAttributes: [
              { Name: 'name', Value: name },
              { Name: 'phone_number', Value: phone },
            ],
          }),
        );
        if (!UserSub) throw new Error('Cognito answered SignUp without a user id');
        return UserSub;
      } catch (err) {
        const errorName = (err as { name?: string }).name;
        if (errorName === 'UsernameExistsException' || errorName === 'AliasExistsException')
          throw new EmailAlreadyRegistered();
        if (errorName === 'InvalidPasswordException')
          throw new PasswordRejected('The password does not meet the policy');
        throw err;
      }
    },
  };
}
