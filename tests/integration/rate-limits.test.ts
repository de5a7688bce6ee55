import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../shared/client';
import { launchPlatform, type LaunchedPlatform } from './launch';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { initiateAuth, newPatient } from './support';

// A platform of its own with low limits: the shared one registers hundreds of patients from
// 127.0.0.1 and races many bookings of one patient, so it runs with raised limits (global-setup.ts).
const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-limits-'));
let limited: LaunchedPlatform;

beforeAll(async () => {
  limited = await launchPlatform(dataDir, undefined, {
    SIGNUPS_PER_HOUR_PER_IP: '2',
    BOOKINGS_PER_MINUTE: '3',
  });
});
afterAll(async () => {
  await limited?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sign-up rate limit per client address', () => {
  it('a burst of sign-ups from one client beyond the limit → 429 rate_limited with Retry-After', async () => {
    const client = createApiClient({ baseUrl: `${limited.url}/api` });
    for (let i = 0; i < 2; i += 1) {
      expect((await client.send('registerPatient', { body: newPatient() })).status).toBe(202);
    }
    const refused = await client.send('registerPatient', { body: newPatient() });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    // 2 an hour: the next one is allowed half an hour later.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(1700);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});

describe('booking rate limit per patient', () => {
  it('a burst beyond the booking limit → 429 rate_limited with Retry-After, before anything else is checked', async () => {
    const { email, password } = DEMO_USERS.patient;
    const session = await initiateAuth(email, password, dataDir, limited.cognitoEndpoint);
    const token = session.AuthenticationResult!.IdToken!;
    const client = createApiClient({ baseUrl: `${limited.url}/api`, token: () => token });
    const attempt = () =>
      client.send('bookAppointment', {
        body: { doctorId: 'no-such-doctor', start: '2031-01-06T10:00:00.000Z', reason: 'Limit check' },
      });
    // Each attempt counts, even one that fails for another reason.
    for (let i = 0; i < 3; i += 1) expect((await attempt()).status).toBe(404);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
