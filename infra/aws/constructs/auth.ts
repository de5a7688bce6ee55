import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolOperation,
  VerificationEmailStyle,
  UserPoolEmail,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, type Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { cognitoTriggers } from '../../../functions/routes';
import { PASSWORD_POLICY, PATIENT_SESSION_MAX_DAYS, TOKEN_VALIDITY_MINUTES } from '../../../shared/policy';
import { ROLES, type Role } from '../../../shared/roles';
import type { Data } from './data';
import { ProjectFunction } from './project-function';

/** Settings the trigger functions would need to read the pool from: a cycle, so they get none. */
const POOL_SETTINGS = ['USER_POOL_ID', 'USER_POOL_CLIENT_ID'];

export interface AuthTriggerProps {
  readonly data: Data;
  /** The functions' common environment; the pool's own id and client id are left out. */
  readonly environment: Readonly<Record<string, string>>;
}

/** A sender verified in SES (an address, or one at a verified domain) that Cognito mails from. */
export interface CognitoEmail {
  readonly fromEmail: string;
  readonly fromName?: string;
  /** Where the SES identity is verified. @default - the stack's region */
  readonly sesRegion?: string;
}

export interface AuthProps {
  /**
   * Mail (invitations, verification and reset codes) through SES from this identity. Without it
   * Cognito's own sender is used, which sends only a few emails a day (the stack warns).
   * @default - Cognito's default sender
   */
  readonly email?: CognitoEmail;
  /** How long an admin-issued temporary password (doctor invitations) stays valid. @default 7 days */
  readonly temporaryPasswordValidity?: Duration;
  /**
   * Cognito threat protection (Plus feature plan, standard mode ENFORCED): blocks sign-ins that
   * use leaked credentials or look risky, and adapts MFA to the risk. Billed per monthly active
   * user on top of Essentials (infra/aws/README.md), hence off by default.
   * @default false
   */
  readonly threatProtection?: boolean;
}

/** Access and ID tokens: short, so a stolen one is useful for minutes, not hours. */
export const ACCESS_TOKEN_VALIDITY = Duration.minutes(TOKEN_VALIDITY_MINUTES);
/**
 * The refresh token's hard limit (the patients' longest session). Staff sessions end
 * `SESSION_MAX_HOURS` after sign-in regardless: the API checks the tokens' `auth_time`.
 */
export const REFRESH_TOKEN_VALIDITY = Duration.days(PATIENT_SESSION_MAX_DAYS);

/** A lower precedence wins when a user is in several groups; mirrors effectiveRole() in shared/roles.ts. */
const GROUP_PRECEDENCE: Record<Role, number> = { admin: 0, doctor: 10, patient: 20 };

/**
 * Identity: a Cognito user pool where the email is the username and group membership is the role.
 * Patients sign up through `POST /register` (Cognito's public SignUp, no admin rights) and confirm
 * the code Cognito mails them; the PostConfirmation trigger then adds them to group `patient`, and
 * only when our sign-up left a profile for them. Admins create doctors server-side
 * (AdminCreateUser). No caller chooses their group.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // Cognito's SignUp API needs it; an account it creates has no group (no role) until the
      // PostConfirmation trigger finds the profile our register route stored.
      selfSignUpEnabled: true,
      userVerification: {
        emailSubject: 'Your telehealth verification code',
        emailBody: 'Your telehealth verification code is {####}. It expires in 24 hours.',
        emailStyle: VerificationEmailStyle.CODE,
      },
      ...(props.threatProtection
        ? {
            featurePlan: FeaturePlan.PLUS,
            standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
          }
        : { featurePlan: FeaturePlan.ESSENTIALS }),
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
      ...(props.email
        ? {
            email: UserPoolEmail.withSES({
              fromEmail: props.email.fromEmail,
              ...(props.email.fromName ? { fromName: props.email.fromName } : {}),
              ...(props.email.sesRegion ? { sesRegion: props.email.sesRegion } : {}),
            }),
          }
        : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

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
      // SRP (and refreshing) only: the password never leaves the browser. USER_PASSWORD_AUTH is
      // what cognito-local supports; the web app picks the flow from /config.json (`authFlow`).
      authFlows: { userSrp: true },
      disableOAuth: true,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      idTokenValidity: ACCESS_TOKEN_VALIDITY,
      accessTokenValidity: ACCESS_TOKEN_VALIDITY,
      refreshTokenValidity: REFRESH_TOKEN_VALIDITY,
      // The email is the username and is mirrored in the DynamoDB profile: users edit their
      // details, not their login, from the browser.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        fullname: true,
        phoneNumber: true,
        birthdate: true,
      }),
    });
  }

  /**
   * One project function per user-pool trigger (`cognitoTriggers` in functions/routes.ts). The pool
   * names its trigger functions, so a trigger must not name the pool (environment or policy) or
   * CloudFormation has a cycle: it reads the pool from the event, and the Cognito admin actions its
   * entry declares (`cognitoActions`) are granted on the user pools of this account and region.
   */
  addTriggers(props: AuthTriggerProps): Record<string, ProjectFunction> {
    const stack = Stack.of(this);
    const environment = Object.fromEntries(
      Object.entries(props.environment).filter(([name]) => !POOL_SETTINGS.includes(name)),
    );
    const functions: Record<string, ProjectFunction> = {};
    for (const [trigger, { handler, access, summary, cognitoActions }] of Object.entries(cognitoTriggers)) {
      const fn = new ProjectFunction(this, `Trigger-${trigger}`, {
        handler,
        description: `Cognito ${trigger}: ${summary}`.slice(0, 256),
        environment,
        // Cognito waits 5 seconds for a trigger.
        timeout: Duration.seconds(5),
      });
      props.data.grant(fn, access);
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [...cognitoActions],
          resources: [stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' })],
        }),
      );
      this.userPool.addTrigger(UserPoolOperation.of(trigger.charAt(0).toLowerCase() + trigger.slice(1)), fn);
      functions[trigger] = fn;
    }
    return functions;
  }

  /** Exactly these admin actions on the pool (a route's `cognitoActions`). */
  grantActions(grantee: IGrantable, actions: readonly string[]): Grant {
    return this.userPool.grant(grantee, ...actions);
  }

  /** What the operator's account-creating handler (create doctor) calls on the pool. */
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
