/**
 * cognito-local with two parts replaced and one added:
 * - the messages Cognito would email or text (sign-up and attribute verification codes, password
 *   reset codes, temporary passwords) are handed to the local platform, which puts them in the
 *   outbox, instead of only being printed;
 * - refreshing tokens behaves as on AWS: an expired refresh token is refused, and the new ID and
 *   access tokens keep the `auth_time` of the sign-in (cognito-local stamps the time of the refresh,
 *   which would let a refresh outlive "sign out everywhere" and the staff session maximum);
 * - refresh tokens issued by RespondToAuthChallenge (the TOTP step) are kept, as Cognito keeps them;
 * - `ResendConfirmationCode`, which cognito-local lacks and the web app's "Send a new code" uses, is
 *   served as Cognito serves it;
 * - a disabled user (AdminDisableUser) cannot sign in or refresh tokens, as on Cognito (cognito-local
 *   disables the user but still signs them in), and a temporary password is checked as on Cognito;
 * - `AdminCreateUser` with `MessageAction: RESEND` (the admin's "send the invitation again"), which
 *   cognito-local refuses as unsupported, is served as Cognito serves it.
 * Everything else is cognito-local's own default server (`cognito-local/lib/server/defaults.js`),
 * assembled the same way; its token generator already honours the app client's token validities.
 *
 * Runs as the platform's child process (cwd = <dataDir>/cognito); the platform's hook URL comes in
 * `TELEHEALTH_HOOKS_URL`.
 */
import { createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';

// cognito-local's own dependencies (aws-sdk v2, pino) are resolved from cognito-local, not from us.
const require = createRequire(createRequire(import.meta.url).resolve('cognito-local/package.json'));
const AWS = require('aws-sdk') as { Lambda: new (config: unknown) => unknown };
const services = require('cognito-local/lib/services');
const { CognitoServiceFactoryImpl } = require('cognito-local/lib/services/cognitoService');
const { CryptoService } = require('cognito-local/lib/services/crypto');
const { StormDBDataStoreFactory } = require('cognito-local/lib/services/dataStore/stormDb');
const { MessageDeliveryService } = require('cognito-local/lib/services/messageDelivery/messageDelivery');
const { otp } = require('cognito-local/lib/services/otp');
const { JwtTokenGenerator } = require('cognito-local/lib/services/tokenGenerator') as {
  JwtTokenGenerator: new (...args: unknown[]) => { generate(...args: unknown[]): Promise<Tokens> };
};
const { UserPoolServiceFactoryImpl } = require('cognito-local/lib/services/userPoolService');
const { loadConfig } = require('cognito-local/lib/server/config');
const { Router } = require('cognito-local/lib/server/Router');
const { createServer } = require('cognito-local/lib/server/server');
const {
  CognitoError,
  InvalidParameterError,
  NotAuthorizedError,
  UserNotFoundError,
} = require('cognito-local/lib/errors');
const {
  selectAppropriateDeliveryMethod,
} = require('cognito-local/lib/services/messageDelivery/deliveryMethod');
const jwt = require('jsonwebtoken') as {
  verify(token: string, key: unknown, options: object): Record<string, unknown>;
  decode(token: string): Record<string, unknown>;
  sign(payload: object, key: string, options: object): string;
};
const signingKey = require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };
const { userToResponseObject } = require('cognito-local/lib/targets/responses');
const pino = require('pino');

type Tokens = { AccessToken: string; IdToken: string; RefreshToken: string };

interface CognitoUser {
  Username: string;
  Password?: string;
  Enabled?: boolean;
  UserStatus?: string;
  Attributes?: { Name: string; Value?: string }[];
}
interface CognitoMessage {
  __code?: string;
  emailSubject?: string;
  emailMessage?: string;
  smsMessage?: string;
}

const hooksUrl = process.env.TELEHEALTH_HOOKS_URL;
if (!hooksUrl) throw new Error('TELEHEALTH_HOOKS_URL is required');

/** Delivery to the platform's outbox; a message that cannot be handed over fails the Cognito call. */
class OutboxMessageSender {
  sendEmail(_ctx: unknown, user: CognitoUser, destination: string, message: CognitoMessage) {
    return this.send('email', user, destination, message);
  }
  sendSms(_ctx: unknown, user: CognitoUser, destination: string, message: CognitoMessage) {
    return this.send('sms', user, destination, message);
  }
  private async send(channel: 'email' | 'sms', user: CognitoUser, to: string, message: CognitoMessage) {
    const sub = user.Attributes?.find((a) => a.Name === 'sub')?.Value ?? user.Username;
    const response = await fetch(`${hooksUrl}/cognito/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel,
        recipientId: sub,
        to,
        code: message.__code,
        subject: message.emailSubject,
        body: channel === 'email' ? message.emailMessage : message.smsMessage,
      }),
    });
    if (!response.ok) throw new Error(`the platform refused the message (${response.status})`);
  }
}

/** What our router adds to cognito-local's request context on a refresh. */
interface RefreshContext {
  /** `iat` of the refresh token: the time of the sign-in it came from (epoch seconds). */
  signedInAt?: number;
}

/** Re-signs a token cognito-local just issued, with the sign-in's `auth_time` (all else unchanged). */
function withAuthTime(token: string, authTime: number): string {
  return jwt.sign({ ...jwt.decode(token), auth_time: authTime }, signingKey.pem, {
    algorithm: 'RS256',
    keyid: 'CognitoLocal',
  });
}

/** Cognito's answer to a disabled user's sign-in or refresh. */
const userDisabled = () => new NotAuthorizedError('User is disabled.');

class SignInTimeTokenGenerator extends JwtTokenGenerator {
  override async generate(ctx: RefreshContext, ...rest: unknown[]): Promise<Tokens> {
    // Every flow that issues tokens (password, challenge answers, refresh) comes through here.
    if ((rest[0] as CognitoUser).Enabled === false) throw userDisabled();
    const tokens: Tokens = await super.generate(ctx, ...rest);
    const source = rest[4];
    if (source !== 'RefreshTokens' || ctx.signedInAt === undefined) return tokens;
    return {
      ...tokens,
      AccessToken: withAuthTime(tokens.AccessToken, ctx.signedInAt),
      IdToken: withAuthTime(tokens.IdToken, ctx.signedInAt),
    };
  }
}

const publicKey = createPublicKey(signingKey.pem);
type Route = (ctx: object, req: Record<string, unknown>) => Promise<unknown>;

/**
 * cognito-local's router, with the refresh flows checking the refresh token's own expiry (cognito-
 * local only looks it up) and passing its sign-in time on to the token generator.
 */
function refreshingRouter(router: (target: string) => Route) {
  return (target: string): Route => {
    const route = router(target);
    if (target !== 'InitiateAuth' && target !== 'AdminInitiateAuth') return route;
    return async (ctx, req) => {
      const flow = req.AuthFlow;
      const token = (req.AuthParameters as Record<string, string> | undefined)?.REFRESH_TOKEN;
      if ((flow !== 'REFRESH_TOKEN_AUTH' && flow !== 'REFRESH_TOKEN') || !token) return route(ctx, req);
      let claims: Record<string, unknown>;
      try {
        claims = jwt.verify(token, publicKey, { algorithms: ['RS256'] });
      } catch {
        throw new NotAuthorizedError('Refresh Token has expired');
      }
      const signedInAt = typeof claims.iat === 'number' ? claims.iat : undefined;
      return route({ ...ctx, signedInAt } satisfies RefreshContext, req);
    };
  };
}

const logger = pino({ level: process.env.DEBUG ? 'debug' : 'info' });
const ctx = { logger };
const config = await loadConfig(ctx, new StormDBDataStoreFactory('.cognito'));
const clock = new services.DateClock();
const dataDirectory = '.cognito/db';
const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
const cognito = await new CognitoServiceFactoryImpl(
  dataDirectory,
  dataStoreFactory,
  new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
).create(ctx, config.UserPoolDefaults);
const triggers = new services.TriggersService(
  clock,
  cognito,
  new services.LambdaService(config.TriggerFunctions, new AWS.Lambda(config.LambdaClient)),
  new CryptoService(config.KMSConfig),
);
const messages = new services.MessagesService(
  triggers,
  new MessageDeliveryService(new OutboxMessageSender()),
);

/**
 * As Cognito: a new code for an unconfirmed user, sent where the first one went; an error for a
 * confirmed one; for an unknown username the same answer as for a real one (the web client has
 * PreventUserExistenceErrors on AWS), with nothing sent.
 */
const resendConfirmationCode: Route = async (ctx, req) => {
  const userPool = await cognito.getUserPoolForClientId(ctx, req.ClientId);
  const user = (await userPool.getUserByUsername(ctx, req.Username)) as CognitoUser | null;
  const details = (user && selectAppropriateDeliveryMethod(['email'], user)) ?? {
    AttributeName: 'email',
    DeliveryMedium: 'EMAIL',
    Destination: String(req.Username),
  };
  if (!user) return { CodeDeliveryDetails: details };
  if (user.UserStatus !== 'UNCONFIRMED') throw new InvalidParameterError('User is already confirmed.');
  const code = otp();
  await messages.deliver(
    ctx,
    'ResendCode',
    req.ClientId,
    userPool.options.Id,
    user,
    code,
    req.ClientMetadata,
    details,
  );
  await userPool.saveUser(ctx, { ...user, ConfirmationCode: code, UserLastModifiedDate: clock.get() });
  return { CodeDeliveryDetails: details };
};

/**
 * As Cognito: a disabled user's password sign-in is refused before the password is looked at, so
 * no challenge (a new password, a TOTP code) is started either; and a user who must still change
 * the temporary password gets the new-password challenge only with that password (cognito-local
 * starts it whatever password is given, so a replaced invitation would still work).
 */
function checkingSignIns(router: (target: string) => Route) {
  return (target: string): Route => {
    const handle = router(target);
    if (target !== 'InitiateAuth' && target !== 'AdminInitiateAuth') return handle;
    return async (routeCtx, req) => {
      const username = (req.AuthParameters as Record<string, string> | undefined)?.USERNAME;
      if (username) {
        const pool =
          target === 'InitiateAuth'
            ? await cognito.getUserPoolForClientId(routeCtx, req.ClientId)
            : await cognito.getUserPool(routeCtx, req.UserPoolId);
        const user = (await pool.getUserByUsername(routeCtx, username)) as CognitoUser | null;
        if (user?.Enabled === false) throw userDisabled();
        const password = (req.AuthParameters as Record<string, string>).PASSWORD;
        if (
          user?.UserStatus === 'FORCE_CHANGE_PASSWORD' &&
          password !== undefined &&
          password !== user.Password
        ) {
          throw new NotAuthorizedError('Incorrect username or password.');
        }
      }
      return handle(routeCtx, req);
    };
  };
}

/**
 * `AdminCreateUser` with `MessageAction: RESEND`, as Cognito: only for a user who still has to
 * change the temporary password (else UnsupportedUserStateException); the given temporary password
 * (or a new one) replaces the old and the invitation goes out again. Other calls go to cognito-local.
 */
function resendingInvitations(router: (target: string) => Route) {
  return (target: string): Route => {
    const handle = router(target);
    if (target !== 'AdminCreateUser') return handle;
    return async (routeCtx, req) => {
      if (req.MessageAction !== 'RESEND') return handle(routeCtx, req);
      const userPool = await cognito.getUserPool(routeCtx, req.UserPoolId);
      const user = (await userPool.getUserByUsername(routeCtx, req.Username)) as CognitoUser | null;
      if (!user) throw new UserNotFoundError('User does not exist.');
      if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD') {
        throw new CognitoError('UnsupportedUserStateException', 'Resend not possible. User is confirmed.');
      }
      const temporaryPassword = String(req.TemporaryPassword ?? otp());
      const mediums = (req.DesiredDeliveryMediums as string[] | undefined) ?? ['SMS'];
      const details = selectAppropriateDeliveryMethod(
        mediums.map((medium) => (medium === 'SMS' ? 'phone_number' : 'email')),
        user,
      );
      if (!details)
        throw new InvalidParameterError('User has no attribute matching desired delivery mediums');
      const resent = { ...user, Password: temporaryPassword, UserLastModifiedDate: clock.get() };
      await userPool.saveUser(routeCtx, resent);
      await messages.deliver(
        routeCtx,
        'AdminCreateUser',
        null,
        userPool.options.Id,
        resent,
        temporaryPassword,
        req.ClientMetadata,
        details,
      );
      return { User: userToResponseObject(resent) };
    };
  };
}

/**
 * cognito-local keeps the refresh tokens of password sign-ins (InitiateAuth) only: those issued by
 * RespondToAuthChallenge (the TOTP code step, a first-sign-in password change) could never refresh
 * or be revoked. Cognito keeps them all, so this stores them, on the user as the challenge saved it.
 */
function keepingChallengeRefreshTokens(router: (target: string) => Route) {
  return (target: string): Route => {
    const handle = router(target);
    if (target !== 'RespondToAuthChallenge') return handle;
    return async (routeCtx, req) => {
      const res = (await handle(routeCtx, req)) as { AuthenticationResult?: { RefreshToken?: string } };
      const refreshToken = res.AuthenticationResult?.RefreshToken;
      const { ClientId, ChallengeResponses } = req as {
        ClientId: string;
        ChallengeResponses?: { USERNAME?: string };
      };
      if (refreshToken && ChallengeResponses?.USERNAME) {
        const pool = await cognito.getUserPoolForClientId(routeCtx, ClientId);
        const user = await pool.getUserByUsername(routeCtx, ChallengeResponses.USERNAME);
        if (user) await pool.storeRefreshToken(routeCtx, refreshToken, user);
      }
      return res;
    };
  };
}

const route = resendingInvitations(
  checkingSignIns(
    keepingChallengeRefreshTokens(
      refreshingRouter(
        Router({
          clock,
          cognito,
          config,
          messages,
          otp,
          tokenGenerator: new SignInTimeTokenGenerator(clock, triggers, config.TokenConfig),
          triggers,
        }),
      ),
    ),
  ),
);
const server = createServer(
  (target: string) => (target === 'ResendConfirmationCode' ? resendConfirmationCode : route(target)),
  logger,
  config.ServerConfig,
);
await server.start();
logger.info(
  `cognito-local (telehealth) listening on ${config.ServerConfig.hostname}:${config.ServerConfig.port}`,
);
