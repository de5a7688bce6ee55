/**
 * A doctor opens a patient's page: the summary (`GET /patients/{id}`) and the first page of visits
 * (`GET /patients/{id}/visits?limit=10`, what the page asks for), sent together as the page sends
 * them. Measured for a patient with 3 visits and one with 500 (every visit with notes, the most
 * reads), interleaved round by round, with `GET /me` as the reference in the same run. Target: the
 * time stays flat (500-visit p50 within ±20 % of the 3-visit p50). Reported and written to
 * BENCHMARKS.md, never asserted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request as playwrightRequest } from '@playwright/test';
import { launchPlatform } from '../integration/launch';
import { seedVisits } from '../integration/seed-visits';
import { apiFor } from '../e2e/api';
import { rememberTotpSecret } from '../e2e/helpers';
import { DEMO_USERS } from '../../infra/local/demo-users';

const ROUNDS = Number(process.env.BENCH_PATIENT_ROUNDS ?? 200);
const WARM_UP = 20;
const SIZES = [3, 500] as const;
const PAGE = 10;
const root = resolve(import.meta.dirname, '../..');

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-bench-patient-'));
const platform = await launchPlatform(dataDir, undefined, { POWERTOOLS_LOG_LEVEL: 'WARN' });
const request = await playwrightRequest.newContext({ baseURL: platform.url });
const times = new Map<number, number[]>(SIZES.map((n) => [n, []]));
const bytes = new Map<number, number>();
const me: number[] = [];

try {
  // The admin (who creates the doctor) signs in with this platform's demo TOTP secret.
  const { demoTotpSecrets } = JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8')) as {
    demoTotpSecrets: { admin: string };
  };
  rememberTotpSecret(DEMO_USERS.admin.email, demoTotpSecrets.admin);
  const api = await apiFor(request);
  const { apiUrl } = (await (await request.get('/config.json')).json()) as { apiUrl: string };
  const doctor = await api.newDoctor('Dr. Bench Pages');
  const patients = new Map<number, string>();
  for (const size of SIZES) {
    const patient = await api.newPatient(`Bench Patient ${size}`);
    // One real booking links doctor and patient; the rest of the history is written directly.
    await api.bookSoonest(patient.token, doctor.userId);
    await seedVisits(platform.dynamodbEndpoint, {
      doctor: { userId: doctor.userId, name: doctor.name },
      patient: { userId: patient.userId, name: patient.name },
      count: size - 1,
      before: Date.now(),
      notesEvery: 1,
    });
    patients.set(size, patient.userId);
  }
  const headers = { authorization: doctor.token };
  const get = async (path: string) => {
    const res = await fetch(`${apiUrl}${path}`, { headers });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return body.byteLength;
  };
  const open = async (patientId: string) => {
    const started = performance.now();
    const sizes = await Promise.all([
      get(`/patients/${patientId}`),
      get(`/patients/${patientId}/visits?limit=${PAGE}`),
    ]);
    return { ms: performance.now() - started, bytes: sizes[0]! + sizes[1]! };
  };
  for (let round = 0; round < WARM_UP + ROUNDS; round++) {
    for (const size of SIZES) {
      const { ms, bytes: b } = await open(patients.get(size)!);
      if (round >= WARM_UP) times.get(size)!.push(ms);
      bytes.set(size, b);
    }
    const started = performance.now();
    await get('/me');
    if (round >= WARM_UP) me.push(performance.now() - started);
  }
} finally {
  await request.dispose();
  await platform.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const ms = (v: number) => v.toFixed(1);
const [small, large] = SIZES;
const p50 = (n: number) => percentile(times.get(n)!, 50);
const ratio = p50(large) / p50(small);
const tailRatio = percentile(times.get(large)!, 97.5) / percentile(times.get(small)!, 97.5);
const met = ratio >= 0.8 && ratio <= 1.2;
const row = (label: string, values: number[], size?: number) =>
  `| ${label} | ${values.length} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 97.5))} | ${size ?? '—'} |`;
const section = [
  '<!-- bench:patient-details -->',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (tests/bench/patient-details.ts; 2 cores,`,
  `Node ${process.version}, local platform on loopback). One opening = \`GET /patients/{id}\` and`,
  `\`GET /patients/{id}/visits?limit=${PAGE}\` sent together, as the page does; every visit has notes;`,
  `${ROUNDS} rounds after ${WARM_UP} warm-up, patients interleaved.`,
  '',
  '| measurement | n | p50 (ms) | p97.5 (ms) | bytes |',
  '|---|---|---|---|---|',
  row(`Patient page, ${small} visits (summary + first page)`, times.get(small)!, bytes.get(small)),
  row(`Patient page, ${large} visits (summary + first page)`, times.get(large)!, bytes.get(large)),
  row('GET /me (reference)', me),
  '',
  `Target: time flat from ${small} to ${large} visits (p50 within ±20 %): **${met ? 'met' : 'missed'}**, ` +
    `p50 ratio ${ratio.toFixed(2)}× (p97.5 ratio ${tailRatio.toFixed(2)}×).`,
  '<!-- /bench:patient-details -->',
].join('\n');

const file = join(root, 'BENCHMARKS.md');
const current = readFileSync(file, 'utf8');
const marked = /<!-- bench:patient-details -->[\s\S]*<!-- \/bench:patient-details -->/;
writeFileSync(
  file,
  marked.test(current) ? current.replace(marked, section) : `${current}\n## Patient details\n\n${section}\n`,
);
console.log(`\n${section}`);
