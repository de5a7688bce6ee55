import type { Appointment } from '../../../shared/appointments';
import { roomWindow } from '../../../shared/live';
import type { CallState } from './types';

/**
 * Whether the call page offers "Rejoin": only when the call was lost with an error (the engine's
 * `failed`: Twilio's `disconnected` with an error, or p2p signalling giving up), never after a
 * deliberate end, and only while the visit runs and its room is open. Rejoining asks for a fresh
 * join (token or ICE servers).
 */
export function canRejoin(
  state: CallState,
  appointment: Pick<Appointment, 'start' | 'end' | 'status'> | undefined,
  visitEnded: boolean,
  now: number,
): boolean {
  if (state !== 'failed' || visitEnded || appointment?.status !== 'in_progress') return false;
  return now < roomWindow(appointment).closesAt;
}
