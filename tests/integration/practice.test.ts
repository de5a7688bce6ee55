/**
 * Every user-visible practice detail comes from the practice configuration: a platform started
 * with another practice directory (PRACTICE_DIR) names that practice in config.json, its served
 * files, the texts it sends and the calendar files the web app builds from config.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { signInWithPassword } from '../../infra/local/cognito';
import type { WebConfig } from '../../shared/api';
import { createApiClient, type ApiClient } from '../../shared/client';
import { appointmentIcs } from '../../web/src/ics';
import { launchPlatform, type LaunchedPlatform } from './launch';
import { cognito, eventually, poolInfo } from './support';

const practiceDir = resolve(import.meta.dirname, '../fixtures/practice-harbour');
const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-practice-'));
let platform: LaunchedPlatform;

async function clientFor(email: string, password: string, totpSecret?: string): Promise<ApiClient> {
  const session = await signInWithPassword(
    cognito(platform.cognitoEndpoint),
    poolInfo(dataDir).userPoolClientId,
    email,
    password,
    totpSecret,
  );
  const token = session.IdToken!;
  return createApiClient({ baseUrl: `${platform.url}/api`, token: () => token });
}

beforeAll(async () => {
  platform = await launchPlatform(dataDir, undefined, { PRACTICE_DIR: practiceDir });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('another practice directory', () => {
  it('config.json carries its details and where its files are', async () => {
    const config = (await (await fetch(`${platform.url}/config.json`)).json()) as WebConfig;
    expect(config.practice).toEqual({
      name: 'Harbour Fixture Health',
      phone: '+12125550199',
      phoneDisplay: '+12125550199',
      email: 'desk@harbour-fixture.example.test',
      address: ['Harbour Fixture Health', '1 Test Quay', 'Testport, XX 00001'],
      logoUrl: '/practice/logo.svg',
      termsUrl: '/practice/terms.md',
      privacyUrl: '/practice/privacy.md',
    });
  });

  it('names the installed app after it in the web app manifest', async () => {
    const res = await fetch(`${platform.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(await res.json()).toMatchObject({
      name: 'Harbour Fixture Health',
      short_name: 'Harbour Fixture Health',
    });
  });

  it('serves its logo and legal texts, and nothing else of its directory', async () => {
    const terms = await fetch(`${platform.url}/practice/terms.md`);
    expect(terms.status).toBe(200);
    expect(terms.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await terms.text()).toContain('# Harbour fixture terms');
    const logo = await fetch(`${platform.url}/practice/logo.svg`);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(await logo.text()).toContain('Harbour Fixture Health');
    for (const path of ['/practice/practice.json', '/practice/%2e%2e/practice.json', '/practice/nope.md']) {
      const refused = await fetch(`${platform.url}${path}`);
      expect(refused.status, path).toBe(404);
      expect(await refused.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('a booking text and the calendar file name it', async () => {
    const doctor = await clientFor(
      DEMO_USERS.doctor.email,
      DEMO_USERS.doctor.password,
      poolInfo(dataDir).demoTotpSecrets!.doctor,
    );
    const day = [{ start: '00:00', end: '24:00' }];
    await doctor.call('putAvailability', {
      timeZone: 'UTC',
      slotMinutes: 20,
      weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      daysOff: [],
    });
    const doctorId = (await doctor.call('getMe')).profile.userId;
    const patient = await clientFor(DEMO_USERS.patient.email, DEMO_USERS.patient.password);
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const open = await patient.call('listOpenSlots', { doctorId }, { query: { from, to } });
    const { appointment } = await patient.call('bookAppointment', {
      doctorId,
      start: open.items[0]!.start,
      reason: 'Check-up',
    });

    const text = await eventually(async () =>
      (await patient.call('listOutbox', { query: { limit: 20 } })).items.find(
        (m) => m.appointmentId === appointment.appointmentId && m.kind === 'booked' && m.status === 'sent',
      ),
    );
    expect(text.body).toMatch(/^Harbour Fixture Health: your video visit with /);
    expect(text.body).not.toContain('Telehealth');
    expect(text.body).not.toContain('Riverside');

    // The web app builds the .ics in the browser from config.json's practice: the same function here.
    const { practice } = (await (await fetch(`${platform.url}/config.json`)).json()) as WebConfig;
    const ics = appointmentIcs(appointment, practice, { url: `${platform.url}/visit/x` }).replace(
      /\r\n /g,
      '',
    );
    expect(ics).toContain('ORGANIZER;CN="Harbour Fixture Health":mailto:desk@harbour-fixture.example.test');
    expect(ics).toContain('LOCATION:Harbour Fixture Health video visit');
    expect(ics).toContain('+12125550199');
    expect(ics).not.toContain('Riverside');
  });
});
