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
import { chromiumArgs } from '../e2e/playwright.config';
import { signIn } from '../e2e/helpers';
import { benchPlatform } from './platform';

const CALLS = Number(process.env.BENCH_CALLS ?? 10);
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
