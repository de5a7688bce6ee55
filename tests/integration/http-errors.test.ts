import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { api } from '../../shared/contract';
import { SECURITY_HEADERS } from '../../shared/policy';
import {
  call,
  eventually,
  initiateAuth,
  newPatient,
  platform,
  registerAndSignIn,
  tokenForRole,
} from './support';

const errorShape = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.any(String) }),
});

describe('the handler stack answers bad input with a clear 4xx and changes nothing', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const patient = newPatient();
    const res = await call('registerPatient', { rawBody: `{"email":"${patient.email}",` });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(errorShape('invalid_json'));
    await expect(initiateAuth(patient.email, patient.password)).rejects.toThrow();
  });

  it('a wrong content type → 415', async () => {
    const patient = newPatient();
    const res = await call('registerPatient', {
      rawBody: JSON.stringify(patient),
      contentType: 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(res.json).toEqual(errorShape('unsupported_media_type'));
    await expect(initiateAuth(patient.email, patient.password)).rejects.toThrow();
  });

  it('a body over 64 KB → 413', async () => {
    const patient = newPatient({ name: 'x'.repeat(70 * 1024) });
    const res = await call('registerPatient', { body: patient });
    expect(res.status).toBe(413);
    expect(res.json).toEqual(errorShape('payload_too_large'));
    await expect(initiateAuth(patient.email, patient.password)).rejects.toThrow();
  });

  it('a schema violation → 400 with a message per field', async () => {
    const res = await call('registerPatient', {
      body: newPatient({ phone: '1'.repeat(41), dateOfBirth: '2999-01-01', acceptTerms: false }),
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
    expect(Object.keys(res.json.error.fields).sort()).toEqual(['acceptTerms', 'dateOfBirth', 'phone']);
    // A well-formed number that cannot be texted: the same 400 on the field, from the phone module.
    const national = await call('registerPatient', { body: newPatient({ phone: '07700 900123' }) });
    expect(national.status).toBe(400);
    expect(national.json.error).toMatchObject({
      code: 'validation_failed',
      fields: { phone: expect.any(String) },
    });
  });

  it('odd ids, cursors, ranges and dates → 400, never a 500', async () => {
    const { token } = await registerAndSignIn();
    const longId = await call('getAppointment', { params: { appointmentId: 'a'.repeat(3000) }, token });
    expect(longId.status).toBe(400);
    expect(longId.json.error.code).toBe('invalid_path');
    expect((await call('getAppointment', { params: { appointmentId: 'has space' }, token })).status).toBe(
      400,
    );
    const foreignKeys = Buffer.from(JSON.stringify({ gsi2pk: 'PATAPPT#someone' })).toString('base64url');
    const cursor = await call('listAppointments', { query: { cursor: foreignKeys }, token });
    expect(cursor.status).toBe(400);
    expect(cursor.json.error.code).toBe('invalid_cursor');
    const inverted = await call('listAppointments', {
      query: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      token,
    });
    expect(inverted.status).toBe(400);
    const feb30 = await call('listOpenSlots', {
      params: { doctorId: 'some-doctor' },
      query: { from: '2026-02-30T00:00:00Z', to: '2026-03-02T00:00:00Z' },
      token,
    });
    expect(feb30.status).toBe(400);
    expect(feb30.json.error.fields.from).toContain('real date');
    // A broken percent-encoding cannot be built through the client: send the raw address.
    const broken = await fetch(`${platform().url}/api/appointments/%E0%A4%A`, {
      headers: { authorization: token },
    });
    expect(broken.status).toBe(400);
  });

  it('a malformed address gets a 400 and the platform keeps serving', async () => {
    const res = await fetch(`${platform().url}/%ZZ`);
    expect(res.status).toBe(400);
    expect((await fetch(`${platform().url}/config.json`)).status).toBe(200);
  });

  it('an unknown route → 404 with the error shape', async () => {
    // Not in the contract, so not reachable through the client: the raw address.
    const res = await fetch(`${platform().url}/api/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(errorShape('not_found'));
  });

  it('responses carry security headers and no stack traces', async () => {
    const res = await call('registerPatient', { rawBody: '{' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(JSON.stringify(res.json)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("the gateway's own answers carry the handlers' security headers", () => {
  const expectSecurityHeaders = (headers: Headers) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(headers.get(name), name).toBe(value);
    }
  };

  it('401 without a token', async () => {
    const res = await call('listAppointments');
    expect(res.status).toBe(401);
    expectSecurityHeaders(res.headers);
  });

  it('404 for an unknown route', async () => {
    const res = await fetch(`${platform().url}/api/no/such/route`);
    expect(res.status).toBe(404);
    expectSecurityHeaders(res.headers);
  });

  it('405 for a method the path does not have', async () => {
    const res = await fetch(`${platform().url}/api${api.registerPatient.path}`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expectSecurityHeaders(res.headers);
  });

  it("413 for a body over API Gateway's 10 MB", async () => {
    const res = await fetch(`${platform().url}/api${api.registerPatient.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    expect(res.status).toBe(413);
    expectSecurityHeaders(res.headers);
  });

  it('400 for a malformed address', async () => {
    const token = await tokenForRole('patient');
    const inPath = await fetch(`${platform().url}/api/appointments/%E0%A4%A`, {
      headers: { authorization: token },
    });
    expect(inPath.status).toBe(400);
    expectSecurityHeaders(inPath.headers);
    const unparsable = await fetch(`${platform().url}/%ZZ`);
    expect(unparsable.status).toBe(400);
    expectSecurityHeaders(unparsable.headers);
  });
});

describe('logs', () => {
  it('record request id, route, status and duration, and no PHI', async () => {
    const patient = newPatient({ name: 'Zebulon Quixote-Marchetti', phone: '+15555550777' });
    const res = await call('registerPatient', { body: patient });
    expect(res.status).toBe(202);
    // The platform writes its log asynchronously: wait until the request's line is there.
    const requestLine = () =>
      readFileSync(platform().logFile, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.route === 'registerPatient' && l.status === 202);
    const entry = await eventually(requestLine);
    const log = readFileSync(platform().logFile, 'utf8');
    expect(entry).toMatchObject({ requestId: expect.any(String), durationMs: expect.any(Number) });
    expect(log).not.toContain(patient.email);
    expect(log).not.toContain('Zebulon');
    expect(log).not.toContain('+15555550777');
    expect(log).not.toContain(patient.password);
  });
});

describe('correlation ids', () => {
  it('are echoed, and a malformed one is replaced by a fresh one (never refused)', async () => {
    const token = await tokenForRole('patient');
    const given = await call('getMe', { token, headers: { 'X-Correlation-Id': 'action-123' } });
    expect(given.status).toBe(200);
    expect(given.headers.get('x-correlation-id')).toBe('action-123');
    const malformed = await call('getMe', { token, headers: { 'X-Correlation-Id': 'x'.repeat(65) } });
    expect(malformed.status).toBe(200);
    expect(malformed.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await call('getMe', { token: 'not-a-jwt', headers: { 'X-Correlation-Id': 'bad id' } });
    expect(refused.status).toBe(401);
  });
});
