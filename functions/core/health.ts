import type { HealthResponse, TwilioHealth } from '../../shared/api';

export interface HealthDeps {
  /** Resolves when the table answers a read; rejects when it does not. */
  probeTable(): Promise<void>;
  /** Whether Twilio's credentials are usable, where Twilio is used (AWS). Rejects when unknown. */
  twilioStatus?(): Promise<Exclude<TwilioHealth, 'failing'>>;
}

/**
 * The service's health: whether its table answers. Why a check failed is never part of the answer
 * (no error text, no stack): the caller is anonymous.
 */
export async function checkHealth(deps: HealthDeps): Promise<HealthResponse> {
  const [table, twilio] = await Promise.all([
    deps.probeTable().then(
      () => 'ok' as const,
      () => 'failing' as const,
    ),
    deps.twilioStatus?.().catch(() => 'failing' as const),
  ]);
  const extra = twilio ? { twilio } : {};
  return table === 'ok'
    ? { status: 'ok', checks: { table, ...extra } }
    : { status: 'unavailable', checks: { table, ...extra } };
}
