/**
 * Open slots under load, side by side with `GET /me` (the reference) in the same run, on a private
 * local platform: 50 connections each, in alternating rounds; then one 7-day query at a time on an
 * empty calendar and after 2,000 bookings. Numbers are reported (and written to BENCHMARKS.md),
 * never asserted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { request as playwrightRequest } from '@playwright/test';
import type { Appointment, Availability } from '../../shared/appointments';
import { claimsOf } from '../../functions/core/appointments';
import { scheduledSlots } from '../../shared/schedule';
import { dynamoTable } from '../../functions/adapters/dynamo/client';
import { dynamoAppointments } from '../../functions/adapters/dynamo/appointments';
import { TABLE_NAME } from '../../infra/local/table-name';
import { apiFor } from '../e2e/api';
import { benchPlatform } from './platform';

const CONNECTIONS = 50;
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 4);
const ROUNDS = 2;
const SINGLE_QUERIES = 200;
const BOOKINGS = 2_000;
const DAY = 86_400_000;
const root = resolve(import.meta.dirname, '../..');

/** A clinic's week in a zone with daylight saving: every day 06:00-18:00 in 10-minute slots. */
const day = [{ start: '06:00', end: '18:00' }];
const AVAILABILITY: Availability = {
  timeZone: 'Europe/Berlin',
  slotMinutes: 10,
  weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
  daysOff: [],
};

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Load {
  seconds: number;
  latencies: number[];
  errors: number;
}

/** `CONNECTIONS` requests in flight at all times for `seconds`; every response read to the end. */
async function load(url: () => string, token: string, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const res = await fetch(url(), {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        if (res.ok) latencies.push(performance.now() - t0);
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { seconds: (performance.now() - started) / 1000, latencies, errors };
}

function combine(runs: Load[]): Load {
  return {
    seconds: runs.reduce((s, r) => s + r.seconds, 0),
    latencies: runs.flatMap((r) => r.latencies),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

const rps = (l: Load) => l.latencies.length / l.seconds;

const bench = await benchPlatform('slots');
const { platform } = bench;
const request = await playwrightRequest.newContext({ baseURL: platform.url });
const api = await apiFor(request);
const config = (await (await request.get('/config.json')).json()) as { apiUrl: string };

const results: Record<string, Load> = {};
const single: Record<'before' | 'empty' | 'booked', number[]> = { before: [], empty: [], booked: [] };
let slotsIn7: number | undefined;
let slotsIn56: number | undefined;

try {
  const doctor = await api.newDoctor('Dr. Bench Slots');
  await api.as(doctor.token).call('putAvailability', AVAILABILITY);
  const patient = await api.newPatient('Bench Slots Patient');
  const slotsUrl =
    (days: number, doctorId = doctor.userId) =>
    () => {
      const from = Date.now();
      const query = new URLSearchParams({
        from: new Date(from).toISOString(),
        to: new Date(from + days * DAY).toISOString(),
      });
      return `${config.apiUrl}/doctors/${doctorId}/slots?${query}`;
    };
  const slotsOf = async (days: number) => {
    const res = await fetch(slotsUrl(days)(), { headers: { authorization: `Bearer ${patient.token}` } });
    return ((await res.json()) as { items: unknown[] }).items.length;
  };
  slotsIn7 = await slotsOf(7);
  slotsIn56 = await slotsOf(56);

  const measures = {
    me: () => `${config.apiUrl}/me`,
    slots7: slotsUrl(7),
    slots56: slotsUrl(56),
  };
  // Warm up every route's handler, then alternate so each measure sees the same machine.
  for (const url of Object.values(measures)) await load(url, patient.token, 1);
  const rounds: Record<string, Load[]> = { me: [], slots7: [], slots56: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, url] of Object.entries(measures)) {
      rounds[name]!.push(await load(url, patient.token, ROUND_SECONDS));
      console.log(`round ${r + 1} ${name}: ${Math.round(rps(rounds[name]!.at(-1)!))} req/s`);
    }
  }
  for (const [name, runs] of Object.entries(rounds)) results[name] = combine(runs);

  const timeOne = async (url: string, into: number[]) => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${patient.token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`open slots answered ${res.status}`);
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < SINGLE_QUERIES; i++) await timeOne(slotsUrl(7)(), single.before);

  // 2,000 bookings spread at random over the doctor's eight weeks (half of its slots), written
  // through the repository adapter: the same transaction (appointment + claims) a booking writes.
  const appointments = dynamoAppointments(
    dynamoTable({ region: 'local', tableName: TABLE_NAME, dynamodbEndpoint: platform.dynamodbEndpoint }),
  );
  const now = Date.now() + 60_000;
  const free = scheduledSlots(AVAILABILITY, now, now + 56 * DAY);
  for (let i = free.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [free[i], free[j]] = [free[j]!, free[i]!];
  }
  const chosen = free.slice(0, BOOKINGS);
  const at = new Date().toISOString();
  // Each worker writes whole days: bookings of one doctor-day share its busy item, and concurrent
  // transactions on one item would only retry each other.
  const byDay = new Map<string, typeof chosen>();
  for (const slot of chosen) {
    const dayKey = new Date(slot.start).toISOString().slice(0, 10);
    byDay.set(dayKey, [...(byDay.get(dayKey) ?? []), slot]);
  }
  const days = [...byDay.values()];
  const writeStarted = performance.now();
  let written = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let slots = days.pop(); slots; slots = days.pop()) {
        for (const slot of slots) {
          const appointment: Appointment = {
            appointmentId: randomUUID(),
            doctorId: doctor.userId,
            patientId: `bench-patient-${written++ % 200}`,
            doctorName: doctor.name,
            patientName: 'Bench Patient',
            start: new Date(slot.start).toISOString(),
            end: new Date(slot.end).toISOString(),
            status: 'booked',
            reason: 'Benchmark',
            createdAt: at,
            updatedAt: at,
            version: 1,
          };
          await appointments.create(appointment, claimsOf(appointment));
        }
      }
    }),
  );
  console.log(
    `${chosen.length} bookings written in ${Math.round(performance.now() - writeStarted)} ms (of ${free.length} slots)`,
  );
  // The booked calendar beside an empty one in the same state of the machine and the emulator (whose
  // table now holds the bookings): a second doctor with the same hours and no bookings, queried in
  // alternation with the first.
  const emptyDoctor = await api.newDoctor('Dr. Bench Empty');
  await api.as(emptyDoctor.token).call('putAvailability', AVAILABILITY);
  const emptyUrl = slotsUrl(7, emptyDoctor.userId);
  for (const url of [emptyUrl, slotsUrl(7)]) await timeOne(url(), []);
  for (let i = 0; i < SINGLE_QUERIES; i++) {
    const pair: [() => string, number[]][] = [
      [emptyUrl, single.empty],
      [slotsUrl(7), single.booked],
    ];
    for (const [url, into] of i % 2 ? pair.reverse() : pair) await timeOne(url(), into);
  }
  // And under load, again beside `GET /me` in alternating rounds.
  const after: Record<'me' | 'slots56Booked', Load[]> = { me: [], slots56Booked: [] };
  for (let r = 0; r < ROUNDS; r++) {
    after.me.push(await load(measures.me, patient.token, ROUND_SECONDS));
    after.slots56Booked.push(await load(measures.slots56, patient.token, ROUND_SECONDS));
  }
  results.meAfter = combine(after.me);
  results.slots56Booked = combine(after.slots56Booked);
} finally {
  await request.dispose();
  await bench.stop();
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const met = (ok: boolean) => (ok ? 'met' : '**missed**');
const me = results.me!;
const loadRow = (label: string, l: Load, target?: number, reference = me) => {
  const ratio = rps(l) / rps(reference);
  const verdict =
    target === undefined ? 'reference' : `${fmt(ratio, 2)}× (target ≥ ${target}×: ${met(ratio >= target)})`;
  return `| ${label} | ${fmt(rps(l))} | ${fmt(percentile(l.latencies, 50))} | ${fmt(percentile(l.latencies, 99))} | ${l.errors} | ${verdict} |`;
};
const emptyP50 = percentile(single.empty, 50);
const bookedP50 = percentile(single.booked, 50);
const change = bookedP50 / emptyP50;

const section = [
  '<!-- bench:open-slots -->',
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (tests/bench/open-slots.ts) on this project's`,
  `CI-class machine (2 cores, Node ${process.version}, local platform on loopback, load generator on the same machine).`,
  `The doctor offers every day 06:00–18:00 in Europe/Berlin, 10-minute slots: ${slotsIn7} open slots in 7 days,`,
  `${slotsIn56} in 56. ${CONNECTIONS} connections with one request in flight each, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`,
  'per measure after a warm-up; `GET /me` by the same patient is the reference.',
  '',
  '| measure (50 connections) | req/s | p50 (ms) | p99 (ms) | errors | vs `GET /me` |',
  '|---|---|---|---|---|---|',
  loadRow('`GET /me`', me),
  loadRow('open slots, 7 days', results.slots7!, 0.5),
  loadRow('open slots, 56 days', results.slots56!, 0.1),
  loadRow(`\`GET /me\`, after ${BOOKINGS} bookings`, results.meAfter!),
  loadRow(`open slots, 56 days, after ${BOOKINGS} bookings`, results.slots56Booked!, 0.1, results.meAfter!),
  '',
  `After the bookings were written, each measure is compared with \`GET /me\` in rounds alternating with it.`,
  '',
  `| one 7-day query at a time (n = ${SINGLE_QUERIES}) | p50 (ms) | p95 (ms) |`,
  '|---|---|---|',
  `| empty calendar, before any booking | ${fmt(percentile(single.before, 50), 1)} | ${fmt(percentile(single.before, 95), 1)} |`,
  `| after ${BOOKINGS} bookings: a doctor with an empty calendar | ${fmt(emptyP50, 1)} | ${fmt(percentile(single.empty, 95), 1)} |`,
  `| after ${BOOKINGS} bookings: the doctor who has them, spread over 8 weeks | ${fmt(bookedP50, 1)} | ${fmt(percentile(single.booked, 95), 1)} |`,
  '',
  `The last two rows are queried in alternation, in the same state of the machine and of DynamoDB Local (whose`,
  `table holds the ${BOOKINGS} bookings by then). Booked calendar vs empty: ${fmt(change, 2)}× (target within ±20 %:`,
  `${met(Math.abs(change - 1) <= 0.2)}).`,
  '<!-- /bench:open-slots -->',
].join('\n');

const file = join(root, 'BENCHMARKS.md');
const current = readFileSync(file, 'utf8');
const updated = current.replace(/<!-- bench:open-slots -->[\s\S]*<!-- \/bench:open-slots -->/, section);
writeFileSync(
  file,
  updated === current && !current.includes('bench:open-slots') ? `${current}\n${section}\n` : updated,
);
console.log(`\n${section}`);
