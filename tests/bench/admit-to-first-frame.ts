/**
 * Time from the doctor's Admit click to the first decoded remote video frame, on both sides, over
 * 10 calls; plus REST latency for two everyday requests. Numbers are reported (and written to
 * BENCHMARKS.md), never asserted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, request as playwrightRequest } from '@playwright/test';
import { apiFor } from '../e2e/api';
import { firstFrameAt, recordPeerConnections } from '../e2e/webrtc-probe';
import type { Page } from '@playwright/test';
import { TELEHEALTH_CONSENT_VERSION } from '../../shared/live';
import { chromiumArgs } from '../e2e/playwright.config';
import { signIn } from '../e2e/helpers';
import { benchPlatform } from './platform';

const CALLS = Number(process.env.BENCH_CALLS ?? 10);
/** Calls with a guest too (doctor, patient and an interpreter: a p2p mesh of three). */
const GUEST_CALLS = Number(process.env.BENCH_GUEST_CALLS ?? 5);
const root = resolve(import.meta.dirname, '../..');

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const bench = await benchPlatform('admit');
const { platform } = bench;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: chromiumArgs,
});
const request = await playwrightRequest.newContext({ baseURL: platform.url });
const api = await apiFor(request);
const doctorSide: number[] = [];
const patientSide: number[] = [];
const restMe: number[] = [];
const reloadBack: number[] = [];
const restBook: number[] = [];
/** Three participants: Admit click → video decoded from both others, per side. */
const threeSides: Record<'doctor' | 'patient' | 'guest', number[]> = { doctor: [], patient: [], guest: [] };

/**
 * The page's clock once video from `tracks` remote participants has been decoded (a string script,
 * like webrtc-probe.ts: tsx's helpers do not exist in the page).
 */
function allRemoteFramesAt(page: Page, tracks: number): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const poll = async () => {
      let decoding = 0;
      for (const pc of window.__e2ePeerConnections ?? []) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video' && (r.framesDecoded ?? 0) > 0) decoding++;
        });
      }
      if (decoding >= ${tracks}) resolve(Date.now());
      else setTimeout(poll, 20);
    };
    poll();
  })`);
}

try {
  for (let i = 0; i < CALLS; i++) {
    const doctor = await api.newDoctor(`Dr. Bench ${i}`);
    const patient = await api.newPatient(`Bench Patient ${i}`);
    const started = performance.now();
    const appointment = await api.bookSoonest(patient.token, doctor.userId);
    restBook.push(performance.now() - started);
    const t0 = performance.now();
    await api.as(patient.token).call('getMe');
    restMe.push(performance.now() - t0);
    await api.as(patient.token).call(
      'checkIn',
      { appointmentId: appointment.appointmentId },
      {
        consentVersion: '2026-11-01',
        deviceCheck: { camera: true, microphone: true, speaker: true, browserSupported: true },
      },
    );

    const pc = await browser.newContext({ baseURL: platform.url, permissions: ['camera', 'microphone'] });
    const dc = await browser.newContext({ baseURL: platform.url, permissions: ['camera', 'microphone'] });
    await recordPeerConnections(pc);
    await recordPeerConnections(dc);
    const p = await pc.newPage();
    const d = await dc.newPage();
    for (const [page, user] of [
      [p, patient],
      [d, doctor],
    ] as const) {
      await signIn(page, user.email, user.password);
      await page.waitForURL(/\/(patient|doctor)$/);
    }
    await p.goto(`/visit/${appointment.appointmentId}`);
    await p.getByRole('heading', { name: 'You are checked in' }).waitFor();
    const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
    await entry.getByRole('button', { name: 'Admit' }).click();
    const patientFrame = p.waitForURL(/\/call\//).then(() => firstFrameAt(p));
    const clickedAt = await d.evaluate(() => Date.now());
    await entry.getByRole('button', { name: 'Agree and admit' }).click();
    await d.waitForURL(/\/call\//);
    const [doctorAt, patientAt] = await Promise.all([firstFrameAt(d), patientFrame]);
    doctorSide.push(doctorAt - clickedAt);
    patientSide.push(patientAt - clickedAt);
    // The patient reloads: how long until video from the doctor is decoded again.
    const reloadAt = Date.now();
    await p.reload();
    const backAt = await firstFrameAt(p);
    reloadBack.push(backAt - reloadAt);
    console.log(
      `call ${i + 1}: doctor ${doctorAt - clickedAt} ms, patient ${patientAt - clickedAt} ms, reload ${backAt - reloadAt} ms`,
    );
    await pc.close();
    await dc.close();
  }
  for (let i = 0; i < GUEST_CALLS; i++) {
    const doctor = await api.newDoctor(`Dr. Bench Three ${i}`);
    const patient = await api.newPatient(`Bench Three Patient ${i}`);
    const { appointmentId } = await api.bookSoonest(patient.token, doctor.userId);
    const phone = `+4477009${String(10000 + i).slice(-5)}`;
    await api
      .as(patient.token)
      .call('inviteGuest', { appointmentId }, { name: `Bench Guest ${i}`, relation: 'interpreter', phone });
    const admin = api.as(await api.adminToken());
    let link = '';
    while (!link) {
      const { items } = await admin.call('listOutbox', { query: { limit: 50 } });
      const text = items.find(
        (m) => m.kind === 'guest_invitation' && m.to === phone && m.body.includes('/pass#'),
      );
      link = text ? text.body.slice(text.body.indexOf('/pass#')) : '';
    }
    const checkIn = {
      consentVersion: TELEHEALTH_CONSENT_VERSION,
      deviceCheck: { camera: true, microphone: true, speaker: true, browserSupported: true },
    } as const;
    await api.as(patient.token).call('checkIn', { appointmentId }, checkIn);
    const contexts = await Promise.all(
      [0, 1, 2].map(() =>
        browser.newContext({ baseURL: platform.url, permissions: ['camera', 'microphone'] }),
      ),
    );
    for (const c of contexts) await recordPeerConnections(c);
    const [d, p, g] = (await Promise.all(contexts.map((c) => c.newPage()))) as [Page, Page, Page];
    await signIn(p, patient.email, patient.password);
    await signIn(d, doctor.email, doctor.password);
    await d.waitForURL(/\/doctor$/);
    await p.goto(`/visit/${appointmentId}`);
    await g.goto(link);
    await g.getByLabel('I agree to this video visit').check();
    await g.getByRole('button', { name: 'Check in' }).click();
    await g.getByTestId('guest-waiting').waitFor();
    const entry = d.locator('li', { has: d.getByRole('heading', { name: patient.name }) });
    await entry.getByRole('button', { name: 'Admit guest', exact: true }).click();
    await entry.getByRole('button', { name: 'Admit', exact: true }).click();
    const clickedAt = await d.evaluate(() => Date.now());
    await entry.getByRole('button', { name: 'Agree and admit' }).click();
    const [doctorAt, patientAt, guestAt] = await Promise.all(
      [d, p, g].map((page) => allRemoteFramesAt(page, 2)),
    );
    threeSides.doctor.push(doctorAt! - clickedAt);
    threeSides.patient.push(patientAt! - clickedAt);
    threeSides.guest.push(guestAt! - clickedAt);
    console.log(
      `three-party call ${i + 1}: doctor ${doctorAt! - clickedAt} ms, patient ${patientAt! - clickedAt} ms, guest ${guestAt! - clickedAt} ms`,
    );
    await Promise.all(contexts.map((c) => c.close()));
  }
} finally {
  await browser.close();
  await request.dispose();
  await bench.stop();
}

const row = (label: string, values: number[]) =>
  `| ${label} | ${values.length} | ${Math.round(percentile(values, 50))} | ${Math.round(percentile(values, 95))} |`;
const section = [
  '<!-- bench:admit-to-first-frame -->',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on this project's CI-class machine`,
  `(2 cores, Node ${process.version}, Chromium with fake camera/microphone, local platform on loopback, p2p provider).`,
  '',
  '| measurement | n | p50 (ms) | p95 (ms) |',
  '|---|---|---|---|',
  row("Admit click → first remote frame, doctor's side", doctorSide),
  row("Admit click → first remote frame, patient's side", patientSide),
  row('Patient page reload → remote video decoded again', reloadBack),
  row('Three participants: Admit click → video from both others, doctor', threeSides.doctor),
  row('Three participants: Admit click → video from both others, patient', threeSides.patient),
  row('Three participants: Admit click → video from both others, guest', threeSides.guest),
  row('POST /appointments (book), REST round trip', restBook),
  row('GET /me, REST round trip', restMe),
  '<!-- /bench:admit-to-first-frame -->',
].join('\n');

const file = join(root, 'BENCHMARKS.md');
const current = readFileSync(file, 'utf8');
const updated = current.replace(
  /<!-- bench:admit-to-first-frame -->[\s\S]*<!-- \/bench:admit-to-first-frame -->/,
  section,
);
writeFileSync(
  file,
  updated === current && !current.includes('bench:admit-to-first-frame')
    ? `${current}\n${section}\n`
    : updated,
);
console.log(`\n${section}`);
