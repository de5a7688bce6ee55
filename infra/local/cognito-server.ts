/**
 * cognito-local with one part replaced and one added: the messages Cognito would email or text
 * (sign-up and attribute verification codes, password reset codes, temporary passwords) are handed
 * to the local platform, which puts them in the outbox, instead of only being printed; and
 * `ResendConfirmationCode`, which cognito-local lacks and the web app's "Send a new code" uses, is
 * served as Cognito serves it. Everything else is cognito-local's own default server
 * (`cognito-local/lib/server/defaults.js`), assembled the same way.
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
const { InvalidParameterError } = require('cognito-local/lib/errors');
const {
  selectAppropriateDeliveryMethod,
} = require('cognito-local/lib/services/messageDelivery/deliveryMethod');
const pino = require('pino');

interface CognitoUser {
  Username: string;
  UserStatus?: string;
  Attributes?: { Name: string; Value?: string }[];
}
interface Context {
  logger: unknown;
}
type Target = (ctx: Context, req: Record<string, unknown>) => Promise<unknown>;
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
const messages = new services.MessagesService(
  triggers,
  new MessageDeliveryService(new OutboxMessageSender()),
);

/**
 * As Cognito: a new code for an unconfirmed user, sent where the first one went; an error for a
 * confirmed one; for an unknown username the same answer as for a real one (the web client has
 * PreventUserExistenceErrors on AWS), with nothing sent.
 */
const resendConfirmationCode: Target = async (ctx, req) => {
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

const route = Router({
  clock,
  cognito,
  config,
  messages,
  otp,
  tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
  triggers,
});
const server = createServer(
  (target: string) => (target === 'ResendConfirmationCode' ? resendConfirmationCode : route(target)),
  logger,
  config.ServerConfig,
);
await server.start();
logger.info(
  `cognito-local (telehealth) listening on ${config.ServerConfig.hostname}:${config.ServerConfig.port}`,
);
