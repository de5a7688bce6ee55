import { describe, expect, it } from 'vitest';
import { canRejoin } from './rejoin';

const running = {
  start: '2026-03-02T10:00:00.000Z',
  end: '2026-03-02T10:20:00.000Z',
  status: 'in_progress' as const,
};
const during = Date.parse('2026-03-02T10:30:00Z');

describe('the call page offers Rejoin', () => {
  it('after an error disconnect while the visit runs, in the overrun too', () => {
    expect(canRejoin('failed', running, false, during)).toBe(true);
    expect(canRejoin('failed', running, false, Date.parse('2026-03-02T11:19:00Z'))).toBe(true);
  });

  it('not after a deliberate end, nor once the room has closed or the visit is over', () => {
    expect(canRejoin('ended', running, false, during)).toBe(false);
    expect(canRejoin('failed', running, true, during)).toBe(false);
    expect(canRejoin('failed', running, false, Date.parse('2026-03-02T11:20:00Z'))).toBe(false);
    expect(canRejoin('failed', { ...running, status: 'completed' }, false, during)).toBe(false);
    expect(canRejoin('failed', undefined, false, during)).toBe(false);
  });

  it('not while the call is still connecting or reconnecting by itself', () => {
    expect(canRejoin('reconnecting', running, false, during)).toBe(false);
    expect(canRejoin('connecting', running, false, during)).toBe(false);
  });
});
