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
const { Router } = require('cognito-local/lib/server/Router');
const { createServer } = require('cognito-local/lib/server/server');
const pino = require('pino');

interface CognitoUser {
  Username: string;
  Attributes?: { Name: string; Value?: string }[];
}
interface TokenGenerator {
  generate(
    ctx: unknown,
    user: CognitoUser,
    groups: string[],
    client: { ClientId: string },
    clientMetadata: unknown,
    source: string,
  ): Promise<{ RefreshToken?: string }>;
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
 * cognito-local keeps the refresh tokens of password sign-ins only: tokens issued by
 * RespondToAuthChallenge (the TOTP code step, a first-sign-in password change) could never be used
 * to refresh. Cognito keeps them all, so every sign-in's refresh token is stored here, on the user as
 * it is now saved (the challenge has just updated it).
 */
function keepingRefreshTokens(generator: TokenGenerator): TokenGenerator {
  return {
    async generate(...args) {
      const tokens = await generator.generate(...args);
      const [genCtx, user, , client, , source] = args;
      if (source === 'Authentication' && tokens.RefreshToken) {
        const pool = await cognito.getUserPoolForClientId(genCtx, client.ClientId);
        const saved = await pool.getUserByUsername(genCtx, user.Username);
        if (saved && !saved.RefreshTokens?.includes(tokens.RefreshToken))
          await pool.storeRefreshToken(genCtx, tokens.RefreshToken, saved);
      }
      return tokens;
    },
  };
}

const server = createServer(
  Router({
    clock,
    cognito,
    config,
    messages: new services.MessagesService(triggers, new MessageDeliveryService(new OutboxMessageSender())),
    otp,
    tokenGenerator: keepingRefreshTokens(new JwtTokenGenerator(clock, triggers, config.TokenConfig)),
    triggers,
  }),
  logger,
  config.ServerConfig,
);
await server.start();
logger.info(
  `cognito-local (telehealth) listening on ${config.ServerConfig.hostname}:${config.ServerConfig.port}`,
);
