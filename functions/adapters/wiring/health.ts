/** Composition root for the health check. */
import type { HealthDeps } from '../../core/health';
import type { Config } from '../../lib/config';
import type { HttpDeps } from '../../lib/http';
import { dynamoTable } from '../dynamo/client';
import { dynamoTableProbe } from '../dynamo/health';
import { secretsManagerCredentials } from '../sms/secrets';
import { TwilioNotConfigured } from '../sms/twilio';
import type { Area } from './area';
import { sessionsOf } from './session-check';

export type HealthAreaDeps = HealthDeps & HttpDeps;

/** How long one answer about the Twilio secret is kept: /health is public and polled. */
const TWILIO_STATUS_TTL_MS = 5 * 60_000;

/**
 * Whether the Twilio secret holds usable credentials, read server-side (nothing of it leaves) and
 * kept for five minutes, `unconfigured` included; errors (Secrets Manager unreachable) are not kept.
 */
function twilioStatus(config: Config): HealthDeps['twilioStatus'] {
  if (!config.twilioSecretArn) return undefined;
  const read = secretsManagerCredentials(config.twilioSecretArn);
  let cached: { value: 'ok' | 'unconfigured'; at: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < TWILIO_STATUS_TTL_MS) return cached.value;
    const value = await read().then(
      () => 'ok' as const,
      (error: unknown) => {
        if (error instanceof TwilioNotConfigured) return 'unconfigured' as const;
        throw error;
      },
    );
    cached = { value, at: Date.now() };
    return value;
  };
}

export function composeHealth(config: Config): HealthAreaDeps {
  const twilio = twilioStatus(config);
  return {
    probeTable: dynamoTableProbe(dynamoTable(config)),
    ...(twilio ? { twilioStatus: twilio } : {}),
    allowedOrigins: config.allowedOrigins,
    sessions: sessionsOf(config),
  };
}

export const healthArea: Area<HealthAreaDeps> = { name: 'health', compose: composeHealth };
