import { describe, expect, it } from 'vitest';
import { MAX_AUDIT_EXPORT_ROWS } from '../../shared/audit';
import type { Appointment } from '../../shared/appointments';
import {
  auditCsv,
  auditExportFileName,
  auditWindow,
  csvField,
  describeAuditRecords,
  exportAuditTrail,
  patientsOf,
} from './audit';
import type { AuditRecord, AuditSearch, StoredProfile } from './ports';

const person = (userId: string, name: string, role: StoredProfile['role']): StoredProfile => ({
  userId,
  name,
  role,
  email: `${userId}@example.com`,
  createdAt: '2026-01-01T00:00:00.000Z',
});
const PEOPLE = new Map([
  ['doc-1', person('doc-1', 'Dr. Ana Rivera', 'doctor')],
  ['pat-1', person('pat-1', 'Maya Patel', 'patient')],
  ['adm-1', person('adm-1', 'Sam Admin', 'admin')],
]);
const VISIT = {
  appointmentId: 'appt-1',
  doctorId: 'doc-1',
  patientId: 'pat-1',
  start: '2026-12-03T09:30:00.000Z',
};
const names = {
  profiles: { get: async (id: string) => PEOPLE.get(id) },
  appointments: { get: async (id: string) => (id === 'appt-1' ? (VISIT as Appointment) : undefined) },
};

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

describe('auditWindow', () => {
  it("turns the admin's local days into UTC instants, across a daylight-saving change", () => {
    // London moves to UTC+1 on 29 March 2026: the 28th starts at 00:00Z, the 30th at 23:00Z the day before.
    expect(auditWindow({ from: '2026-03-28', to: '2026-03-29', zone: 'Europe/London' })).toEqual({
      since: '2026-03-28T00:00:00.000Z',
      until: '2026-03-29T23:00:00.000Z',
    });
    expect(auditWindow({ from: '2026-12-03', to: '2026-12-03', zone: 'America/New_York' })).toEqual({
      since: '2026-12-03T05:00:00.000Z',
      until: '2026-12-04T05:00:00.000Z',
    });
  });

  it('starts a day whose midnight was skipped at its first minute', () => {
    // Santiago skipped 00:00–00:59 on 6 September 2026 (UTC-4 to UTC-3).
    expect(auditWindow({ from: '2026-09-06', to: '2026-09-06', zone: 'America/Santiago' }).since).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });
});

describe('describeAuditRecords', () => {
  it('puts names to actors, patients, accounts and visits', async () => {
    const [visitRow, accountRow, unknown] = await describeAuditRecords(
      [
        {
          at: '2026-11-30T08:00:00.000Z',
          action: 'notes.read',
          actorId: 'doc-1',
          patientId: 'pat-1',
          targetId: 'appt-1',
        },
        { at: '2026-11-30T08:00:00.000Z', action: 'doctor.deactivated', actorId: 'adm-1', targetId: 'doc-1' },
        { at: '2026-11-30T08:00:00.000Z', action: 'audit.read', actorId: 'gone' },
      ],
      names,
    );
    expect(visitRow).toMatchObject({
      actorName: 'Dr. Ana Rivera',
      patientName: 'Maya Patel',
      visit: { doctorName: 'Dr. Ana Rivera', patientName: 'Maya Patel', start: VISIT.start },
    });
    expect(visitRow!.targetName).toBeUndefined();
    expect(accountRow).toMatchObject({ actorName: 'Sam Admin', targetName: 'Dr. Ana Rivera' });
    expect(unknown!.actorName).toBeUndefined();
  });
});

describe('auditCsv', () => {
  it("writes a header and one row per entry in words, times in the admin's zone, ids after", async () => {
    const rows = await describeAuditRecords(
      [
        {
          at: '2026-11-30T08:00:00.000Z',
          action: 'notes.read',
          actorId: 'doc-1',
          actorRole: 'doctor',
          patientId: 'pat-1',
          targetId: 'appt-1',
          requestId: 'req-1',
        },
        { at: '2026-11-29T08:00:00.000Z', action: 'patient.signUpRefused', actorId: 'anonymous' },
        { at: '2026-11-29T08:00:00.000Z', action: 'custom.thing', actorId: '=cmd' },
      ],
      names,
    );
    expect(auditCsv(rows, 'America/New_York').split('\r\n')).toEqual([
      'time,time_zone,actor,actor_role,action,subject,outcome,request_id,time_utc,action_code,actor_id,patient_id,target_id',
      '2026-11-30 03:00:00,America/New_York,Dr. Ana Rivera,Doctor,Viewed visit notes,"Dr. Ana Rivera\'s visit with Maya Patel on 3 Dec",Done,req-1,2026-11-30T08:00:00.000Z,notes.read,doc-1,pat-1,appt-1',
      '2026-11-29 03:00:00,America/New_York,Anonymous,,Sign-up refused (email already registered),,Refused,,2026-11-29T08:00:00.000Z,patient.signUpRefused,anonymous,,',
      `2026-11-29 03:00:00,America/New_York,,,custom.thing,,Done,,2026-11-29T08:00:00.000Z,custom.thing,"'=cmd",,`,
      '',
    ]);
  });
});

describe('exportAuditTrail', () => {
  const entry = (i: number): AuditRecord => ({
    at: new Date(Date.UTC(2026, 10, 30) - i * 1000).toISOString(),
    action: 'appointment.read',
    actorId: `a${i}`,
  });
  /** A trail of `total` entries served in pages as asked, cursor = offset. */
  const trail = (total: number) => {
    const asked: AuditSearch[] = [];
    return {
      asked,
      deps: {
        ...names,
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
  const range = { from: '2026-11-01', to: '2026-11-30', zone: 'UTC', patientId: 'pat-1' };

  it('follows every page of the same search', async () => {
    const { asked, deps } = trail(250);
    const { csv, truncated } = await exportAuditTrail(range, deps);
    expect(truncated).toBe(false);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(251);
    expect(asked.map((q) => q.cursor)).toEqual([undefined, '100', '200']);
    expect(
      asked.every(
        (q) =>
          q.patientId === 'pat-1' &&
          q.since === '2026-11-01T00:00:00.000Z' &&
          q.until === '2026-12-01T00:00:00.000Z',
      ),
    ).toBe(true);
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
