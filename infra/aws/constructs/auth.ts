import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { type Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PASSWORD_POLICY, SESSION_MAX_HOURS } from '../../../shared/policy';
import { ROLES, type Role } from '../../../shared/roles';
import { cognitoTriggers } from '../../../functions/routes';
import { ProjectFunction } from './project-function';

export interface AuthProps {
  /** How long an admin-issued temporary password (doctor invitations) stays valid. @default 7 days */
  readonly temporaryPasswordValidity?: Duration;
}

/** A lower precedence wins when a user is in several groups; mirrors effectiveRole() in shared/roles.ts. */
const GROUP_PRECEDENCE: Record<Role, number> = { admin: 0, doctor: 10, patient: 20 };

/**
 * Identity: a Cognito user pool where the email is the username and group membership is the role.
 * Nobody signs up on their own: patients register through `POST /register` and admins create
 * doctors, both server-side with AdminCreateUser, so no caller can choose their group.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The user-pool trigger functions, by trigger (functions/routes.ts `cognitoTriggers`). */
  readonly triggerFunctions: Record<string, ProjectFunction> = {};

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      selfSignUpEnabled: false,
      featurePlan: FeaturePlan.ESSENTIALS,
      passwordPolicy: {
        ...PASSWORD_POLICY,
        tempPasswordValidity: props.temporaryPasswordValidity ?? Duration.days(7),
      },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
        birthdate: { required: false, mutable: true },
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Your telehealth doctor account',
        emailBody:
          'An administrator created your telehealth account. Sign in with {username} and the ' +
          'temporary password {####}; you will be asked to choose your own password.',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The user-pool triggers of functions/routes.ts (e.g. the `mfa` claim). They read the pool's id
    // from the event: referencing the pool here would make a cycle (pool -> function -> pool).
    for (const [trigger, { handler, summary }] of Object.entries(cognitoTriggers)) {
      const fn = new ProjectFunction(this, `Trigger-${trigger}`, { handler, description: summary });
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['cognito-idp:AdminGetUser'],
          resources: [
            Stack.of(this).formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' }),
          ],
        }),
      );
      this.userPool.addTrigger(UserPoolOperation.of(trigger[0]!.toLowerCase() + trigger.slice(1)), fn);
      this.triggerFunctions[trigger] = fn;
    }

    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        precedence: GROUP_PRECEDENCE[role],
        description: `Users acting as ${role}`,
      });
    }

    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // SRP is what the web app uses on AWS; USER_PASSWORD_AUTH is what cognito-local supports, and
      // the same web code runs against both.
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // The browser session's hard limit: a refresh token never outlives the session rules.
      refreshTokenValidity: Duration.hours(SESSION_MAX_HOURS),
      // The email is the username and is mirrored in the DynamoDB profile: users edit their
      // details, not their login, from the browser.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        fullname: true,
        phoneNumber: true,
        birthdate: true,
      }),
    });
  }

  /** What the account-creating handlers (register, create doctor) call on the pool. */
  grantAdmin(grantee: IGrantable): Grant {
    return this.userPool.grant(
      grantee,
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminDeleteUser',
      'cognito-idp:AdminGetUser',
    );
  }
}
