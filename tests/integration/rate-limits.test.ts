import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../shared/client';
import { launchPlatform, type LaunchedPlatform } from './launch';
import { newPatient } from './support';

// A platform of its own with a low sign-up limit: the shared one registers hundreds of patients
// from 127.0.0.1 and so runs with a raised limit (see global-setup.ts).
const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-limits-'));
let limited: LaunchedPlatform;

beforeAll(async () => {
  limited = await launchPlatform(dataDir, undefined, { SIGNUPS_PER_HOUR_PER_IP: '2' });
});
afterAll(async () => {
  await limited?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sign-up rate limit per client address', () => {
  it('a burst of sign-ups from one client beyond the limit → 429 rate_limited with Retry-After', async () => {
    const client = createApiClient({ baseUrl: `${limited.url}/api` });
    for (let i = 0; i < 2; i += 1) {
      expect((await client.send('registerPatient', { body: newPatient() })).status).toBe(201);
    }
    const refused = await client.send('registerPatient', { body: newPatient() });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    // 2 an hour: the next one is allowed half an hour later.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(1700);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});
