import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, pathFor } from './client';

function recordingClient(answer: { status: number; body?: unknown }) {
  const sent: { url: string; init: RequestInit }[] = [];
  const client = createApiClient({
    baseUrl: 'http://127.0.0.1:9/api',
    token: () => 'id-token',
    fetch: async (url, init) => {
      sent.push({ url: String(url), init: init ?? {} });
      return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), {
        status: answer.status,
      });
    },
  });
  return { client, sent };
}

describe('the typed client', () => {
  it('builds method, path, query, headers and body from the contract', async () => {
    const { client, sent } = recordingClient({
      status: 200,
      body: { appointment: { appointmentId: 'a/1' } },
    });
    const answer = await client.call('cancelAppointment', { appointmentId: 'a/1' }, { reason: 'Better' });
    expect(answer.appointment.appointmentId).toBe('a/1');
    expect(sent[0]).toMatchObject({
      url: 'http://127.0.0.1:9/api/appointments/a%2F1/cancel',
      init: { method: 'POST', body: '{"reason":"Better"}' },
    });
    expect(sent[0]!.init.headers).toMatchObject({
      authorization: 'id-token',
      'content-type': 'application/json',
    });

    await client.call('listAppointments', { query: { status: 'booked', limit: 2, cursor: undefined } });
    expect(sent[1]).toMatchObject({ url: 'http://127.0.0.1:9/api/appointments?status=booked&limit=2' });
    expect(sent[1]!.init.body).toBeUndefined();
    expect(sent[1]!.init).not.toHaveProperty('keepalive');
  });

  it('asks for keepalive when a request must outlive the page, still signed in', async () => {
    const { client, sent } = recordingClient({ status: 201, body: { appointmentId: 'a' } });
    const summary = {
      browser: 'chrome',
      provider: 'p2p',
      samples: 1,
      durationSeconds: 5,
      reconnects: 0,
    } as const;
    await client.call('sendCallQuality', { appointmentId: 'a' }, summary, { keepalive: true });
    expect(sent[0]!.init).toMatchObject({ method: 'POST', keepalive: true });
    expect(sent[0]!.init.headers).toMatchObject({ authorization: 'id-token' });
  });

  it('turns error answers into ApiError with code and fields, and a lost network into status 0', async () => {
    const { client } = recordingClient({
      status: 409,
      body: { error: { code: 'slot_taken', message: 'Taken', fields: { start: 'Taken' } } },
    });
    await expect(
      client.call('bookAppointment', { doctorId: 'd', start: '2031-01-01T10:00:00Z', reason: 'r' }),
    ).rejects.toMatchObject({ status: 409, code: 'slot_taken', fields: { start: 'Taken' } });
    const offline = createApiClient({
      baseUrl: 'http://127.0.0.1:9/api',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    const err = await offline.call('getMe').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 0, code: 'network' });
  });

  it('sends a fresh X-Correlation-Id with each request when given a source of ids', async () => {
    const sent: Headers[] = [];
    let next = 0;
    const client = createApiClient({
      baseUrl: 'http://127.0.0.1:9/api',
      correlationId: () => `action-${++next}`,
      fetch: async (_url, init) => {
        sent.push(new Headers(init?.headers));
        return new Response('{}', { status: 200 });
      },
    });
    await client.call('health');
    await client.send('health', { headers: { 'X-Correlation-Id': 'given' } });
    expect(sent.map((h) => h.get('x-correlation-id'))).toEqual(['action-1', 'given']);
  });

  it('refuses to build a path without its parameters', () => {
    expect(pathFor('/patients/{patientId}', { patientId: 'p 1' })).toBe('/patients/p%201');
    expect(() => pathFor('/patients/{patientId}', {})).toThrow('patientId');
  });

  it('does not compile a call with a wrong parameter, body or route', () => {
    const { client } = recordingClient({ status: 200, body: {} });
    const calls = () => [
      // @ts-expect-error cancelAppointment's path parameter is appointmentId
      client.call('cancelAppointment', { doctorId: 'x' }, { reason: 'r' }),
      // @ts-expect-error the cancel body needs a reason
      client.call('cancelAppointment', { appointmentId: 'x' }, { why: 'r' }),
      // @ts-expect-error no such route
      client.call('deleteEverything'),
      // @ts-expect-error getMe takes no path parameters
      client.call('getMe', { userId: 'x' }),
    ];
    expect(calls).toBeTypeOf('function');
  });
});
