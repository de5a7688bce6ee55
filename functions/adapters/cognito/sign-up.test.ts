import {
  CognitoIdentityProviderClient,
  InvalidPasswordException,
  SignUpCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmailAlreadyRegistered, PasswordRejected } from '../../core/ports';
import { cognitoSignUp } from './sign-up';

const cognito = mockClient(CognitoIdentityProviderClient);
const signUp = cognitoSignUp(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'web-client');
const input = { email: 'p@example.com', password: 'Long-Enough-1x', name: 'P', phone: '+15555550100' };

describe('cognitoSignUp', () => {
  beforeEach(() => cognito.reset());

  it("calls the public SignUp with the app client, the email as username, and the user's attributes", async () => {
    cognito.on(SignUpCommand).resolves({ UserSub: 'sub-1', UserConfirmed: false });
    expect(await signUp.signUp(input)).toBe('sub-1');
    expect(cognito.commandCalls(SignUpCommand)[0]!.args[0].input).toEqual({
      ClientId: 'web-client',
      Username: 'p@example.com',
      Password: 'Long-Enough-1x',
      UserAttributes: [
        { Name: 'name', Value: 'P' },
        { Name: 'phone_number', Value: '+15555550100' },
      ],
    });
    expect(cognito.calls()).toHaveLength(1);
  });

  it('maps a taken email and a rejected password to domain errors', async () => {
    cognito.on(SignUpCommand).rejects(new UsernameExistsException({ message: 'x', $metadata: {} }));
    await expect(signUp.signUp(input)).rejects.toBeInstanceOf(EmailAlreadyRegistered);
    cognito.on(SignUpCommand).rejects(new InvalidPasswordException({ message: 'x', $metadata: {} }));
    await expect(signUp.signUp(input)).rejects.toBeInstanceOf(PasswordRejected);
  });
});
