/**
 * cognito-local with one part replaced: the messages Cognito would email or text (sign-up and
 * attribute verification codes, password reset codes, temporary passwords) are handed to the local
 * platform, which puts them in the outbox, instead of only being printed. Everything else is
 * cognito-local's own default server (`cognito-local/lib/server/defaults.js`), assembled the same way.
 *
 * Runs as the platform's child process (cwd = <dataDir>/cognito); the platform's hook URL comes in
 * `TELEHEALTH_HOOKS_URL`.
 */
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
const { JwtTokenGenerator } = require('cognito-local/lib/services/tokenGenerator');
const { UserPoolServiceFactoryImpl } = require('cognito-local/lib/services/userPoolService');
const { loadConfig } = require('cognito-local/lib/server/config');
const { Router: cognitoLocalRouter } = require('cognito-local/lib/server/Router');
const { createServer } = require('cognito-local/lib/server/server');
const pino = require('pino');

interface CognitoUser {
  Username: string;
  Attributes?: { Name: string; Value?: string }[];
}
type Route = (target: string) => (ctx: unknown, req: unknown) => Promise<unknown>;
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

/**
 * cognito-local keeps the refresh tokens of password sign-ins (InitiateAuth) only: those issued by
 * RespondToAuthChallenge (the TOTP code step, a first-sign-in password change) could never refresh
 * or be revoked. Cognito keeps them all, so this stores them, on the user as the challenge saved it.
 */
function keepingChallengeRefreshTokens(route: Route): Route {
  return (target) => {
    const handle = route(target);
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

/** cognito-local's router, with the refresh tokens of challenge sign-ins kept. */
const Router = (routerServices: unknown) => keepingChallengeRefreshTokens(cognitoLocalRouter(routerServices));

const server = createServer(
  Router({
    clock,
    cognito,
    config,
    messages: new services.MessagesService(triggers, new MessageDeliveryService(new OutboxMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  }),
  logger,
  config.ServerConfig,
);
await server.start();
logger.info(
  `cognito-local (telehealth) listening on ${config.ServerConfig.hostname}:${config.ServerConfig.port}`,
);
