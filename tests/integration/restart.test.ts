import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../shared/client';
import { launchPlatform } from './launch';
import { confirmEmail } from './support';

const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function register(url: string, email: string) {
  const res = await createApiClient({ baseUrl: `${url}/api` }).send('registerPatient', {
    body: {
      name: 'Restart Tester',
      email,
      password: 'Survives-Restart-1',
      phone: '+15555550111',
      dateOfBirth: '1970-07-07',
      acceptTerms: true,
      acceptPrivacy: true,
    },
  });
  return res.status;
}

async function signIn(cognitoEndpoint: string, email: string, password: string) {
  const { userPoolClientId } = JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8'));
  const res = await fetch(cognitoEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: userPoolClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  return (await res.json()) as { AuthenticationResult?: { IdToken: string } };
}

describe('npm start twice', () => {
  it('keeps registered users and seeds the demo accounts only once', async () => {
    const email = `restart.${Date.now()}@example.com`;
    const first = await launchPlatform(dataDir);
    expect(first.output()).toContain('new: demo accounts created');
    expect(first.output()).toContain('doctor@demo.telehealth.test');
    expect(await register(first.url, email)).toBe(202);
    await confirmEmail(email, undefined, { ...first, dataDir });
    expect(await first.stop()).toBe(0);

    const second = await launchPlatform(dataDir, first.ports);
    try {
      expect(second.output()).toContain('(reused)');
      const session = await signIn(second.cognitoEndpoint, email, 'Survives-Restart-1');
      const token = session.AuthenticationResult!.IdToken;
      const me = await createApiClient({ baseUrl: `${second.url}/api`, token: () => token }).call('getMe');
      expect(me.profile.email).toBe(email);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('says clearly which port is taken instead of printing a stack trace', async () => {
    const running = await launchPlatform(dataDir);
    try {
      const clash = launchPlatform(mkdtempSync(join(tmpdir(), 'telehealth-clash-')), running.ports);
      const failure = (await clash.then(
        () => undefined,
        (err: { exitCode?: number; output?: string }) => err,
      )) as { exitCode?: number; output?: string };
      expect(failure?.exitCode).toBe(1);
      expect(failure?.output).toMatch(/Port \d+ \(web app and API\) is already in use.*set PORT/);
      expect(failure?.output).not.toMatch(/\n\s+at /);
    } finally {
      await running.stop();
    }
  }, 120_000);
});
