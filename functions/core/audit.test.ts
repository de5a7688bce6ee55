import { describe, expect, it } from 'vitest';
import { MAX_AUDIT_EXPORT_ROWS } from '../../shared/audit';
import { auditCsv, auditExportFileName, csvField, exportAuditTrail, patientsOf } from './audit';
import type { AuditRecord, AuditSearch } from './ports';

describe('csvField', () => {
  it('leaves plain ids alone and quotes separators, quotes and line breaks', () => {
    expect(csvField('3f2a-91')).toBe('3f2a-91');
    expect(csvField(undefined)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'defuses a cell a spreadsheet would run as a formula: %j',
    (value) => {
      const field = csvField(value);
      expect(field.startsWith(`"'`)).toBe(true);
      expect(field.replace(/^"'/, '').replace(/"$/, '').replaceAll('""', '"')).toBe(value);
    },
  );
});

describe('auditCsv', () => {
  it('writes a header and one row per entry with the action in plain words', () => {
    const csv = auditCsv([
      {
        at: '2026-11-30T08:00:00.000Z',
        action: 'notes.read',
        actorId: 'doc-1',
        actorRole: 'doctor',
        patientId: 'pat-1',
        targetId: 'appt-1',
        requestId: 'req-1',
      },
      { at: '2026-11-29T08:00:00.000Z', action: 'custom.thing', actorId: '=cmd' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'time_utc,action,description,actor_id,actor_role,patient_id,target_id,request_id',
      '2026-11-30T08:00:00.000Z,notes.read,Viewed visit notes,doc-1,doctor,pat-1,appt-1,req-1',
      `2026-11-29T08:00:00.000Z,custom.thing,custom.thing,"'=cmd",,,,`,
      '',
    ]);
  });
});

describe('exportAuditTrail', () => {
  const entry = (i: number): AuditRecord => ({ at: `t${i}`, action: 'appointment.read', actorId: `a${i}` });
  /** A trail of `total` entries served in pages as asked, cursor = offset. */
  const trail = (total: number) => {
    const asked: AuditSearch[] = [];
    return {
      asked,
      deps: {
        auditTrail: {
          search: async (q: AuditSearch) => {
            asked.push(q);
            const offset = Number(q.cursor ?? 0);
            const end = Math.min(total, offset + q.limit);
            const items = Array.from({ length: end - offset }, (_, i) => entry(offset + i));
            return { items, nextCursor: end < total ? String(end) : undefined };
          },
        },
      },
    };
  };
  const range = { from: '2026-11-01', to: '2026-11-30', patientId: 'pat-1' };

  it('follows every page of the same search', async () => {
    const { asked, deps } = trail(250);
    const { csv, truncated } = await exportAuditTrail(range, deps);
    expect(truncated).toBe(false);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(251);
    expect(asked.map((q) => q.cursor)).toEqual([undefined, '100', '200']);
    expect(asked.every((q) => q.patientId === 'pat-1' && q.from === range.from && q.to === range.to)).toBe(
      true,
    );
  });

  it('stops at the row cap and says the export was cut', async () => {
    const { deps } = trail(MAX_AUDIT_EXPORT_ROWS + 1);
    const { csv, truncated } = await exportAuditTrail(range, deps);
    expect(truncated).toBe(true);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(MAX_AUDIT_EXPORT_ROWS + 1);
  });

  it('is not cut when the trail holds exactly the cap', async () => {
    const { deps } = trail(MAX_AUDIT_EXPORT_ROWS);
    expect((await exportAuditTrail(range, deps)).truncated).toBe(false);
  });
});

describe('patientsOf and auditExportFileName', () => {
  it('names each patient of a page once', () => {
    expect(patientsOf([{ patientId: 'p1' }, { patientId: 'p2' }, { patientId: 'p1' }])).toEqual([
      { patientId: 'p1' },
      { patientId: 'p2' },
    ]);
    expect(patientsOf([])).toEqual([]);
  });

  it('names the export after its search', () => {
    expect(auditExportFileName({ from: '2026-11-01', to: '2026-11-30' })).toBe(
      'audit-2026-11-01-to-2026-11-30.csv',
    );
    expect(
      auditExportFileName({ from: '2026-11-01', to: '2026-11-30', actorId: 'd1', patientId: 'p1' }),
    ).toBe('audit-2026-11-01-to-2026-11-30-patient-p1-actor-d1.csv');
  });
});
