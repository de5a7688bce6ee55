import { idToken } from './auth';
import { loadConfig } from './config';
import { RealtimeClient } from './realtime-client';
import { storedVisitSession } from './visit-pass';

export type { ConnectionStatus } from './realtime-client';

/** The tab's one realtime connection: browser WebSocket, runtime configuration, Cognito ID token (or a guest's visit session). */
export const realtime = new RealtimeClient({
  connect: (url) => new WebSocket(url),
  endpoint: async () => (await loadConfig()).wsUrl,
  token: idToken,
  pass: () => storedVisitSession()?.sessionToken,
});
