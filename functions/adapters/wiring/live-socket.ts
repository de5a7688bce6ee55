/** Composition root for the WebSocket actions of a consultation: the live deps and the frame replies. */
import type { LiveDeps } from '../../core/live';
import type { Config } from '../../lib/config';
import type { WsDeps } from '../../lib/ws';
import { appointmentsContext } from './appointments';
import type { Area, Overrides } from './area';
import { liveDeps } from './live';
import { connectionsApi, wsDeps } from './ws';

export interface LiveSocketDeps {
  live: LiveDeps;
  ws: WsDeps;
}

export function composeLiveSocket(config: Config, overrides?: Overrides): LiveSocketDeps {
  const context = appointmentsContext(config, overrides);
  const api = connectionsApi(config, overrides);
  return { live: liveDeps(context, undefined, api), ws: wsDeps(context.table, api, overrides?.clock) };
}

export const liveSocketArea: Area<LiveSocketDeps> = { name: 'live-socket', compose: composeLiveSocket };
