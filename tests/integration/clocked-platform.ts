/**
 * The integration suite's local platform: `startPlatform` (what `npm start` runs) with an injected
 * clock, DynamoDB in memory, and a small loopback control endpoint through which the tests read and
 * move the clock. The clock starts at a fixed instant and runs on from there; tests pick slots
 * relative to it and jump it forward instead of sleeping.
 */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import type { Clock } from '../../functions/core/ports';
import { localSettingsFrom, startPlatform } from '../../infra/local/platform';
import { portsFromEnv } from '../../infra/local/ports';

/** Monday 2030-01-07, 08:50 UTC: ten minutes before a slot boundary of every test doctor. */
export const CLOCK_START = Date.parse(process.env.TEST_CLOCK_START ?? '2030-01-07T08:50:00.000Z');

class MovableClock implements Clock {
  private offset = CLOCK_START - Date.now();
  now() {
    return new Date(Date.now() + this.offset);
  }
  /** Moves forward to `to` (never back: what happened stays in the past). */
  advanceTo(to: number) {
    const ahead = to - this.now().getTime();
    if (ahead > 0) this.offset += ahead;
  }
}

const clock = new MovableClock();
const platform = await startPlatform({
  ports: portsFromEnv(),
  dataDir: resolve(process.env.DATA_DIR ?? '.tmp/it-data'),
  reminderPollMs: Number(process.env.REMINDER_POLL_MS ?? 5000),
  inMemoryDatabase: true,
  clock,
  settings: localSettingsFrom(process.env),
});

const control = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/clock') {
      const to = Date.parse(String((JSON.parse(body || '{}') as { to?: string }).to));
      if (Number.isNaN(to)) {
        res.writeHead(400).end();
        return;
      }
      clock.advanceTo(to);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ now: clock.now().toISOString() }));
  });
});
await new Promise<void>((ready) => control.listen(Number(process.env.CLOCK_PORT), '127.0.0.1', ready));

console.log(`Telehealth is running at ${platform.url}`);
const shutdown = async () => {
  control.close();
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
