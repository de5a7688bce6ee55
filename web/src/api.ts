import { createApiClient } from '../../shared/client';
import { idToken } from './auth';
import { loadConfig } from './config';

export { ApiError } from '../../shared/client';

/** The one REST client of the web app: typed from the contract, signed in as the current user. */
export const client = createApiClient({
  baseUrl: async () => (await loadConfig()).apiUrl,
  token: idToken,
  // One id per request, echoed by the API and on every log line it writes (docs/operations.md).
  correlationId: () => crypto.randomUUID(),
});
