/**
 * Composition root of the heartbeat: nothing. `ping` is answered by its route response, so it
 * needs neither the table (no frame counter) nor the @connections client.
 */
import type { Area } from './area';

export type WsPingDeps = Record<string, never>;

export const wsPingArea: Area<WsPingDeps> = { name: 'ws-ping', compose: () => ({}) };
