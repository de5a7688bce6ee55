import type { HealthResponse } from '../../shared/api';

export interface HealthDeps {
  /** Resolves when the table answers a read; rejects when it does not. */
  probeTable(): Promise<void>;
}

/**
 * The service's health: whether its table answers. Why a check failed is never part of the answer
 * (no error text, no stack): the caller is anonymous.
 */
export async function checkHealth(deps: HealthDeps): Promise<HealthResponse> {
  try {
    await deps.probeTable();
    return { status: 'ok', checks: { table: 'ok' } };
  } catch {
    return { status: 'unavailable', checks: { table: 'failing' } };
  }
}
