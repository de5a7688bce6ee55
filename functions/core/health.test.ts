import { describe, expect, it } from 'vitest';
import { checkHealth } from './health';

describe('checkHealth', () => {
  it('is ok when the table answers', async () => {
    expect(await checkHealth({ probeTable: async () => {} })).toEqual({
      status: 'ok',
      checks: { table: 'ok' },
    });
  });

  it('names the failing check without the error when the table does not answer', async () => {
    const report = await checkHealth({
      probeTable: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8000')),
    });
    expect(report).toEqual({ status: 'unavailable', checks: { table: 'failing' } });
    expect(JSON.stringify(report)).not.toContain('ECONNREFUSED');
  });

  it('reports whether Twilio is set up without changing the status, and a failed check as failing', async () => {
    expect(
      await checkHealth({ probeTable: async () => {}, twilioStatus: async () => 'unconfigured' }),
    ).toEqual({
      status: 'ok',
      checks: { table: 'ok', twilio: 'unconfigured' },
    });
    const report = await checkHealth({
      probeTable: async () => {},
      twilioStatus: () => Promise.reject(new Error('secretsmanager timeout arn:aws:secret')),
    });
    expect(report).toEqual({ status: 'ok', checks: { table: 'ok', twilio: 'failing' } });
    expect(JSON.stringify(report)).not.toContain('arn:');
  });
});
