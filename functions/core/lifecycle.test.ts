import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES } from './appointments';
import { LIFECYCLE, type LifecycleCommand } from './lifecycle';

const commands = Object.entries(LIFECYCLE) as [string, LifecycleCommand][];

describe('the lifecycle table', () => {
  it.each(commands)('%s: frees time exactly when it leaves the active statuses', (_name, command) => {
    const leavesActive = command.to !== undefined && !ACTIVE_STATUSES.includes(command.to);
    expect(Boolean(command.releasesTime)).toBe(leavesActive);
  });

  it.each(commands)('%s: "already done" statuses are not also start statuses', (_name, command) => {
    expect(command.from.filter((s) => command.already?.includes(s))).toEqual([]);
  });

  it.each(commands)('%s: only the other participant can be refused', (_name, command) => {
    expect(command.by === 'participant').toBe(command.refusal === undefined);
  });
});
