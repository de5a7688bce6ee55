import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../shared/client';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { jobs } from '../../functions/routes';
import { dynamoTable } from '../../functions/adapters/dynamo/client';
import { TABLE_NAME } from '../../infra/local/dynamo';
import { FAKE_TWILIO_AUTH_TOKEN } from '../../infra/local/platform';
import { api } from '../../shared/contract';
import { launchPlatform, type LaunchedPlatform } from './launch';
import { signInWithPassword } from '../../infra/local/cognito';
import { cognito, eventually, poolInfo } from './support';

/**
 * A fake of Twilio's Messages resource on loopback: it records each request and answers with the
 * status the test sets. `hold` keeps answers back until released, to show who waits for whom.
 */
function fakeTwilio() {
  const requests: { path: string; form: Record<string, string>; auth: string }[] = [];
  let status = 500;
  let code = 20500;
  let answered = 0;
  let held: Promise<void> = Promise.resolve();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        form: Object.fromEntries(new URLSearchParams(body)),
        auth: req.headers.authorization ?? '',
      });
      void held.then(() => {
        answered += 1;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status < 300 ? { sid: `SM${requests.length}` } : { code }));
      });
    });
  });
  return {
    requests,
    answered: () => answered,
    answerWith: (next: number, nextCode = 20500) => {
      status = next;
      code = nextCode;
    },
    hold() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
    listen: () =>
      new Promise<string>((ready) =>
        server.listen(0, '127.0.0.1', () =>
          ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-texts-'));
const twilio = fakeTwilio();
let platform: LaunchedPlatform;
let patient: ApiClient;
let slots: string[];
let doctorId: string;

/** Signs a seeded demo user in on this test's platform (staff with their seeded authenticator). */
async function clientFor(email: string, password: string, totpSecret?: string) {
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
  const url = await twilio.listen();
  // Room for the bookings of every test here (the default allows 3 upcoming per patient).
  platform = await launchPlatform(dataDir, undefined, {
    FAKE_TWILIO_URL: url,
    MAX_UPCOMING_APPOINTMENTS: '10',
  });
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
  patient = await clientFor(DEMO_USERS.patient.email, DEMO_USERS.patient.password);
  doctorId = (await doctor.call('getMe')).profile.userId;
  const from = new Date(Date.now() + 86_400_000).toISOString();
  const to = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const open = await patient.call('listOpenSlots', { doctorId }, { query: { from, to } });
  slots = open.items.map((slot) => slot.start);
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await twilio.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const book = (start: string) =>
  patient.send('bookAppointment', {
    body: { doctorId, start, reason: 'Itchy rash' },
  });
const textOf = async (appointmentId: string) =>
  (await patient.call('listOutbox', { query: { limit: 100 } })).items.find(
    (m) => m.appointmentId === appointmentId && m.kind === 'booked',
  );

describe('texts go through a queue', () => {
  it('Twilio failing: the booking answers at once, the text is retried, then kept as failed', async () => {
    twilio.answerWith(500);
    const release = twilio.hold();
    const booked = await book(slots[0]!);
    // Answered while Twilio has not answered a single attempt: the booking does not wait for it.
    expect(booked.status).toBe(201);
    expect(twilio.answered()).toBe(0);
    const appointmentId = (booked.json as { appointment: { appointmentId: string } }).appointment
      .appointmentId;
    expect(await textOf(appointmentId)).toMatchObject({ status: 'queued', attempts: 0 });
    release();

    const failed = await eventually(async () => {
      const text = await textOf(appointmentId);
      return text?.status === 'failed' ? text : undefined;
    }, 20_000);
    const attempts = jobs.sendText.maxAttempts;
    expect(failed).toMatchObject({ attempts, to: DEMO_USERS.patient.phone });
    expect(twilio.requests).toHaveLength(attempts);
    for (const request of twilio.requests) {
      expect(request.path).toBe('/2010-04-01/Accounts/AClocal/Messages.json');
      expect(request.form).toMatchObject({ To: DEMO_USERS.patient.phone, From: '+15005550006' });
      expect(request.form.Body).toContain('is booked for');
      expect(request.form.Body).not.toMatch(/itch|rash|Pat Morgan/i);
    }
    expect(platform.output()).toContain('kept as a dead letter');
    expect(platform.output()).not.toContain(DEMO_USERS.patient.phone);
  }, 30_000);

  it('Twilio accepting: the text is sent once and the outbox shows it sent', async () => {
    twilio.answerWith(201);
    const before = twilio.requests.length;
    const booked = await book(slots[3]!);
    expect(booked.status).toBe(201);
    const appointmentId = (booked.json as { appointment: { appointmentId: string } }).appointment
      .appointmentId;
    const sent = await eventually(async () => {
      const text = await textOf(appointmentId);
      return text?.status === 'sent' ? text : undefined;
    });
    expect(sent).toMatchObject({ attempts: 1, to: DEMO_USERS.patient.phone });
    expect(sent.body).toContain('is booked for');
    expect(twilio.requests.length - before).toBe(1);
  });

  it('Twilio refusing for good (the number opted out at the carrier): sent once, kept as failed, not retried', async () => {
    twilio.answerWith(400, 21610);
    const before = twilio.requests.length;
    const booked = await book(slots[6]!);
    expect(booked.status).toBe(201);
    const appointmentId = (booked.json as { appointment: { appointmentId: string } }).appointment
      .appointmentId;
    const failed = await eventually(async () => {
      const text = await textOf(appointmentId);
      return text?.status === 'failed' ? text : undefined;
    });
    expect(failed).toMatchObject({ attempts: 1 });
    expect(twilio.requests.length - before).toBe(1);
    // The sender's log names Twilio's status and code, never the number.
    const refusal = platform
      .output()
      .split('\n')
      .find((line) => line.includes('text refused') && line.includes(appointmentId));
    expect(refusal).toMatch(/"status":400/);
    expect(refusal).toMatch(/"code":21610/);
    expect(platform.output()).not.toContain(DEMO_USERS.patient.phone);
  });
});

describe("Twilio's signed Messaging webhook", () => {
  const webhookUrl = () => `${platform.url}/api${api.twilioMessagingWebhook.path}`;
  /** Posts a form as Twilio does, signed with `token` over the exact URL (or not signed at all). */
  const post = (params: Record<string, string>, token: string | null = FAKE_TWILIO_AUTH_TOKEN) =>
    fetch(webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(token ? { 'x-twilio-signature': getExpectedTwilioSignature(token, webhookUrl(), params) } : {}),
      },
      body: new URLSearchParams(params).toString(),
    });
  const textRecord = async (id: string) =>
    (
      await dynamoTable({
        region: 'local',
        tableName: TABLE_NAME,
        dynamodbEndpoint: platform.dynamodbEndpoint,
      }).client.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: `TEXT#${id}`, sk: 'SENT' } }))
    ).Item;
  const smsOptIn = async () => (await patient.call('getMe')).profile.smsOptIn;

  it('stores delivery reports of a sent text; a wrong or missing signature is 403 and changes nothing', async () => {
    twilio.answerWith(201);
    const before = twilio.requests.length;
    const booked = await book(slots[9]!);
    expect(booked.status).toBe(201);
    const appointment = (booked.json as { appointment: { appointmentId: string; version: number } })
      .appointment;
    const id = `${appointment.appointmentId}.booked.${appointment.version}`;
    const record = await eventually(async () => {
      const item = await textRecord(id);
      return item?.state === 'sent' ? item : undefined;
    });
    // The text asked Twilio to report to this webhook, and its Message SID was kept.
    const request = twilio.requests[before]!;
    expect(request.form.StatusCallback).toBe(webhookUrl());
    const sid = record.providerId as string;
    expect(sid).toMatch(/^SM\d+$/);

    const report = { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30034' };
    for (const refused of [await post(report, 'not-the-auth-token'), await post(report, null)]) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    expect((await textRecord(id))?.delivery).toBeUndefined();

    const delivered = await post({ MessageSid: sid, MessageStatus: 'delivered' });
    expect(delivered.status).toBe(200);
    expect(delivered.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await delivered.text()).toContain('<Response/>');
    // A late report of an earlier stage does not move the status back.
    expect((await post({ MessageSid: sid, MessageStatus: 'sent' })).status).toBe(200);
    expect(await textRecord(id)).toMatchObject({ delivery: 'delivered', deliveryStage: 5 });
  });

  it('STOP turns the patient’s SMS opt-in off and START on again; unsigned, nothing changes', async () => {
    const from = DEMO_USERS.patient.phone;
    expect(await smsOptIn()).toBe(true);
    const unsigned = await post({ OptOutType: 'STOP', From: from, Body: 'STOP' }, 'forged');
    expect(unsigned.status).toBe(403);
    expect(await smsOptIn()).toBe(true);

    expect((await post({ OptOutType: 'STOP', From: from, Body: 'STOP' })).status).toBe(200);
    expect(await smsOptIn()).toBe(false);
    expect((await post({ OptOutType: 'START', From: from, Body: 'START' })).status).toBe(200);
    expect(await smsOptIn()).toBe(true);
    expect(platform.output()).not.toContain(from);
  });
});
