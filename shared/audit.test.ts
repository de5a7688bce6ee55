import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  AuditExportQuery,
  AuditSearchQuery,
  auditActionLabel,
  auditRangeErrors,
  daysInRange,
  MAX_AUDIT_RANGE_DAYS,
} from './audit';
import { fieldErrors } from './schemas';

const errorsOf = (schema: v.GenericSchema, input: unknown) => {
  const result = v.safeParse(schema, input);
  return result.success ? {} : fieldErrors(result.issues);
};

describe('audit search range', () => {
  it('counts both ends, across months and leap days', () => {
    expect(daysInRange('2026-11-30', '2026-11-30')).toBe(1);
    expect(daysInRange('2028-02-28', '2028-03-01')).toBe(3);
  });

  it(`allows up to ${MAX_AUDIT_RANGE_DAYS} days and refuses a reversed or longer range on 'to'`, () => {
    expect(auditRangeErrors('2026-01-01', '2026-04-02')).toEqual({}); // 92 days
    expect(auditRangeErrors('2026-01-01', '2026-04-03')).toEqual({ to: 'At most 92 days after from' });
    expect(auditRangeErrors('2026-01-02', '2026-01-01')).toEqual({ to: 'Must not be before from' });
  });

  it('validates the query: real dates, range, ids, limit', () => {
    expect(errorsOf(AuditSearchQuery, { from: '2026-11-01', to: '2026-11-30' })).toEqual({});
    expect(v.parse(AuditSearchQuery, { from: '2026-11-01', to: '2026-11-30' }).limit).toBe(50);
    expect(errorsOf(AuditSearchQuery, { from: '2026-02-30', to: '2026-03-01' })).toHaveProperty('from');
    expect(errorsOf(AuditSearchQuery, { from: '2026-03-01', to: '2026-01-01' })).toEqual({
      to: 'Must not be before from',
    });
    expect(errorsOf(AuditSearchQuery, { from: '2026-11-01', to: '2026-11-30', actorId: 'x y' })).toEqual({
      actorId: 'Not a valid user id',
    });
    expect(errorsOf(AuditSearchQuery, { from: '2026-11-01', to: '2026-11-30', limit: '500' })).toHaveProperty(
      'limit',
    );
    expect(errorsOf(AuditSearchQuery, { to: '2026-11-30' })).toHaveProperty('from');
    expect(errorsOf(AuditExportQuery, { from: '2026-11-01', to: '2026-11-30', cursor: 'x' })).toHaveProperty(
      'cursor',
    );
  });

  it('names actions in plain words and shows unknown ones as recorded', () => {
    expect(auditActionLabel('notes.read')).toBe('Viewed visit notes');
    expect(auditActionLabel('something.new')).toBe('something.new');
  });
});
