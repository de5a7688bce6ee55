/**
 * Contract test: every request our adapters send to Twilio is checked against Twilio's own OpenAPI
 * description (the documents `@twilio/cli-core` ships, pinned in package.json). Each adapter
 * operation runs with a recording fake `fetch` — nothing reaches Twilio — and every captured
 * request must match a documented operation: host, path template (and its path-parameter
 * patterns), method, content type, form parameter names, their types and enum values.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../shared/appointments';
import type { SmsMessage } from '../core/ports';
import { twilioSms, type TwilioCredentials } from './sms/twilio';
import { p2pVideo, twilioIceServers } from './video/p2p';
import { roomNameFor, twilioVideo } from './video/twilio';

const root = join(import.meta.dirname, '../..');
const specDir = join(root, 'node_modules/@twilio/cli-core/src/services/twilio-api');

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}
interface Operation {
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface SpecDocument {
  servers: { url: string }[];
  paths: Record<string, { servers?: { url: string }[] } & Record<string, unknown>>;
  components: { schemas: Record<string, Schema> };
}

const load = (name: string) =>
  JSON.parse(readFileSync(join(specDir, `${name}.json`), 'utf8')) as SpecDocument;
const documents = [load('twilio_api_v2010'), load('twilio_video_v1')];

const resolve = (doc: SpecDocument, schema: Schema): Schema =>
  schema.$ref
    ? resolve(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]!)
    : schema;

/**
 * Form parameters that Twilio documents only as "a JSON-encoded …": the shape of what they hold,
 * taken from the same document (Rules: the items of the recording-rule resource's `rules`).
 */
const jsonParameters: Record<string, Record<string, (doc: SpecDocument) => Schema>> = {
  'POST https://video.twilio.com/v1/Rooms/{RoomSid}/RecordingRules': {
    Rules: (doc) => doc.components.schemas['video.v1.room.room_recording_rule']!.properties!.rules!,
  },
};

/** What one captured request was: the spec operation it matches (`METHOD host+template`) and what is wrong. */
interface Verdict {
  operation?: string;
  problems: string[];
}

function valueProblems(doc: SpecDocument, where: string, raw: Schema, value: unknown): string[] {
  const schema = resolve(doc, raw);
  const text = String(value);
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(text))
    problems.push(`${where}: "${text}" is not one of ${schema.enum.join(', ')}`);
  if (schema.pattern && !new RegExp(schema.pattern).test(text))
    problems.push(`${where}: "${text}" does not match ${schema.pattern}`);
  switch (schema.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(text)) problems.push(`${where}: "${text}" is not an integer`);
      else if (schema.minimum !== undefined && Number(text) < schema.minimum)
        problems.push(`${where}: below ${schema.minimum}`);
      else if (schema.maximum !== undefined && Number(text) > schema.maximum)
        problems.push(`${where}: above ${schema.maximum}`);
      break;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') problems.push(`${where}: "${text}" is not a boolean`);
      break;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${where}: not an object`);
        break;
      }
      for (const [key, inner] of Object.entries(value)) {
        const property = schema.properties?.[key];
        if (!property) problems.push(`${where}.${key}: not a documented field`);
        else problems.push(...valueProblems(doc, `${where}.${key}`, property, inner));
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) problems.push(`${where}: not an array`);
      else
        value.forEach((item, i) =>
          problems.push(...valueProblems(doc, `${where}[${i}]`, schema.items ?? {}, item)),
        );
      break;
  }
  if (schema.format === 'uri' && !URL.canParse(text)) problems.push(`${where}: "${text}" is not a URI`);
  return problems;
}

/** Checks one request against the Twilio documents. */
function checkRequest(url: string, method: string, contentType: string | undefined, body: string): Verdict {
  const target = new URL(url);
  let best:
    { doc: SpecDocument; server: string; template: string; params: Record<string, string> } | undefined;
  for (const doc of documents) {
    for (const [template, pathItem] of Object.entries(doc.paths)) {
      const server = (pathItem.servers ?? doc.servers)[0]!.url;
      if (new URL(server).origin !== target.origin) continue;
      const names: string[] = [];
      const pattern = template.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      const match = new RegExp(`^${pattern}$`).exec(target.pathname);
      if (!match) continue;
      // Of several matching templates, the most literal one is the operation meant.
      if (best && best.template.replace(/\{\w+\}/g, '').length >= template.replace(/\{\w+\}/g, '').length)
        continue;
      best = {
        doc,
        server,
        template,
        params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])),
      };
    }
  }
  if (!best) return { problems: [`no documented Twilio path matches ${target.origin}${target.pathname}`] };
  const operationName = `${method} ${best.server}${best.template}`;
  const operation = best.doc.paths[best.template]![method.toLowerCase()] as Operation | undefined;
  if (!operation) return { problems: [`${best.template} documents no ${method}`] };
  const problems: string[] = [];
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'path')
      problems.push(
        ...valueProblems(best.doc, `path {${parameter.name}}`, parameter.schema, best.params[parameter.name]),
      );
  }
  if (method === 'GET') {
    const query = new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new URLSearchParams(target.search).keys())
      if (!query.has(name)) problems.push(`${name} is not a query parameter of ${operationName}`);
    if (body) problems.push(`${operationName} takes no body`);
    return { operation: operationName, problems };
  }
  const form = operation.requestBody?.content['application/x-www-form-urlencoded']?.schema;
  if (!form)
    return { operation: operationName, problems: [...problems, `${operationName} takes no form body`] };
  if (contentType !== 'application/x-www-form-urlencoded')
    problems.push(`content-type ${contentType} is not application/x-www-form-urlencoded`);
  const sent = new URLSearchParams(body);
  const schema = resolve(best.doc, form);
  for (const name of new Set(sent.keys())) {
    const property = schema.properties?.[name];
    if (!property) {
      problems.push(`${name} is not a parameter of ${operationName}`);
      continue;
    }
    const json = jsonParameters[operationName]?.[name];
    for (const value of sent.getAll(name)) {
      if (!json) {
        problems.push(...valueProblems(best.doc, name, property, value));
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        problems.push(`${name}: not JSON`);
        continue;
      }
      problems.push(...valueProblems(best.doc, name, json(best.doc), parsed));
    }
  }
  for (const name of schema.required ?? []) if (!sent.has(name)) problems.push(`required ${name} is missing`);
  return { operation: operationName, problems };
}

/** A fake of Twilio's HTTP layer that records every request and answers each with `answer`. */
function recordingFetch(
  answer: () => { status: number; body?: unknown } = () => ({ status: 201, body: {} }),
) {
  const requests: {
    url: string;
    method: string;
    contentType?: string;
    authorization?: string;
    body: string;
  }[] = [];
  const impl = (async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    requests.push({
      url,
      method: init.method ?? 'GET',
      contentType: headers.get('content-type') ?? undefined,
      authorization: headers.get('authorization') ?? undefined,
      body: String(init.body ?? ''),
    });
    const { status, body } = answer();
    return new Response(JSON.stringify(body ?? {}), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof fetch;
  return { impl, requests };
}

const accountSid = `AC${'a'.repeat(32)}`;
const apiKeySid = `SK${'b'.repeat(32)}`;
const videoCreds = async () => ({ accountSid, apiKeySid, apiKeySecret: 'key-secret' });
const smsCreds = (extra: Partial<TwilioCredentials>) => async (): Promise<TwilioCredentials> => ({
  accountSid,
  apiKeySid,
  apiKeySecret: 'key-secret',
  ...extra,
});
const appointment = { appointmentId: 'a-42', end: '2026-03-02T10:20:00.000Z' } as Appointment;
const text: SmsMessage = {
  recipientId: 'user-1',
  to: '+15555550100',
  body: 'Telehealth: hello',
  kind: 'booked',
  appointmentId: 'a-42',
  textId: 'a-42.booked.1',
  queuedAt: '2026-03-10T14:00:00.000Z',
};
const STATUS_CALLBACK = 'https://api.example/v1/webhooks/twilio/messages';
const inAnHour = () => new Date(Date.now() + 3600_000);
const storage = {
  awsCredentialsSid: `CR${'d'.repeat(32)}`,
  s3Url: 'https://telehealth-recordings.s3.amazonaws.com/rooms',
};
/** Twilio's recording settings as they must be before anything is recorded. */
const ourBucket = {
  aws_storage_enabled: true,
  aws_credentials_sid: storage.awsCredentialsSid,
  aws_s3_url: storage.s3Url,
};

/**
 * Every Twilio operation our code performs, each driven through the adapter. A Twilio call added
 * to an adapter shows up here as a captured request outside `contract` (and fails below).
 */
const scenarios: Record<string, () => Promise<ReturnType<typeof recordingFetch>['requests']>> = {
  'text through a messaging service, with a validity period and a status callback': async () => {
    const fake = recordingFetch();
    await twilioSms(smsCreds({ messagingServiceSid: `MG${'c'.repeat(32)}` }), fake.impl, {
      statusCallback: STATUS_CALLBACK,
    }).send({ ...text, validForSeconds: 90_000 });
    // Checked against the documents below like every parameter; here only that it is sent at all.
    expect(new URLSearchParams(fake.requests[0]!.body).get('StatusCallback')).toBe(STATUS_CALLBACK);
    return fake.requests;
  },
  'text from a number, retried with fresh credentials after a 401': async () => {
    const answers = [{ status: 401 }, { status: 201 }];
    const fake = recordingFetch(() => answers.shift()!);
    await twilioSms(smsCreds({ fromNumber: '+15005550006' }), fake.impl).send({
      ...text,
      validForSeconds: 0.5,
    });
    return fake.requests;
  },
  'video join creates the room': async () => {
    const fake = recordingFetch();
    await twilioVideo(videoCreds, { fetch: fake.impl }).join(
      appointment,
      { userId: 'pat', role: 'patient' },
      inAnHour(),
      false,
    );
    return fake.requests;
  },
  'video room completed at the end': async () => {
    const fake = recordingFetch(() => ({ status: 200 }));
    await twilioVideo(videoCreds, { fetch: fake.impl }).end(appointment);
    return fake.requests;
  },
  'recording switched on (after reading the recording settings) and off': async () => {
    const fake = recordingFetch(() => ({ status: 200, body: ourBucket }));
    const video = twilioVideo(videoCreds, { fetch: fake.impl, recording: storage });
    await video.setRecording(appointment, true);
    await video.setRecording(appointment, false);
    return fake.requests;
  },
  'a re-created room records at once when both consented': async () => {
    const answers = [{ status: 201 }, { status: 200, body: ourBucket }, { status: 200 }];
    const fake = recordingFetch(() => answers.shift()!);
    await twilioVideo(videoCreds, { fetch: fake.impl, recording: storage }).join(
      appointment,
      { userId: 'pat', role: 'patient' },
      inAnHour(),
      true,
    );
    expect(fake.requests).toHaveLength(3);
    return fake.requests;
  },
  'TURN credentials for a p2p call': async () => {
    const fake = recordingFetch(() => ({
      status: 201,
      body: { ice_servers: [{ urls: 'turn:t.example.test' }] },
    }));
    const video = p2pVideo(
      twilioIceServers(videoCreds, {
        fallback: [],
        fetch: fake.impl,
        log: { warn: () => undefined },
        metrics: { count: () => undefined },
      }),
    );
    await video.join(appointment, { userId: 'pat', role: 'patient' }, inAnHour(), false);
    return fake.requests;
  },
};

/** The documented operations the code may call: each must be exercised, and nothing else may be called. */
const contract = [
  'POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json',
  'POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Tokens.json',
  'POST https://video.twilio.com/v1/Rooms',
  'POST https://video.twilio.com/v1/Rooms/{Sid}',
  'POST https://video.twilio.com/v1/Rooms/{RoomSid}/RecordingRules',
  'GET https://video.twilio.com/v1/RecordingSettings/Default',
];

describe('Twilio contract (requests checked against @twilio/cli-core OpenAPI documents)', () => {
  for (const [name, run] of Object.entries(scenarios)) {
    it(`${name}: every request is a documented operation with documented parameters`, async () => {
      const requests = await run();
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        const verdict = checkRequest(request.url, request.method, request.contentType, request.body);
        expect(verdict, `${request.method} ${request.url}`).toEqual({
          operation: expect.any(String),
          problems: [],
        });
        expect(contract).toContain(verdict.operation);
        // REST calls authenticate with the API key (SK…), never the account's auth token.
        expect(Buffer.from(request.authorization!.replace(/^Basic /, ''), 'base64').toString()).toMatch(
          /^SK[0-9a-f]{32}:/,
        );
      }
    });
  }

  it('exercises every operation in the contract, and calls no other', async () => {
    const seen = new Set<string>();
    for (const run of Object.values(scenarios))
      for (const r of await run()) seen.add(checkRequest(r.url, r.method, r.contentType, r.body).operation!);
    expect([...seen].sort()).toEqual([...contract].sort());
  });

  it('the video access token grants the room that was created, signed by the API key', async () => {
    const fake = recordingFetch();
    const info = await twilioVideo(videoCreds, { fetch: fake.impl }).join(
      appointment,
      { userId: 'pat', role: 'patient' },
      inAnHour(),
      false,
    );
    if (info.provider !== 'twilio') throw new Error('wrong provider');
    const [header, payload] = info.token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    // Twilio's access-token format: HS256, content type twilio-fpa;v=1, issued by the API key for the account.
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload).toMatchObject({ iss: apiKeySid, sub: accountSid });
    expect(payload.jti).toMatch(new RegExp(`^${apiKeySid}-`));
    expect(payload.grants).toEqual({ identity: 'pat', video: { room: roomNameFor(appointment) } });
    expect(new URLSearchParams(fake.requests[0]!.body).get('UniqueName')).toBe(payload.grants.video.room);
    // Twilio refuses access tokens living longer than 24 hours.
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(24 * 3600);
  });

  it('only the adapters exercised here build Twilio URLs, and none uses the helper library’s REST client', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry)) files.push(path);
      }
    };
    for (const dir of ['functions', 'shared']) walk(join(root, dir));
    const buildsTwilioUrls: string[] = [];
    const twilioImports: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      if (/twilio\.com|\/2010-04-01\/|['"`]\/v1\/Rooms/.test(source))
        buildsTwilioUrls.push(relative(root, file));
      for (const [, module] of source.matchAll(/from '(twilio[^']*)'/g)) twilioImports.push(module!);
    }
    expect(buildsTwilioUrls.sort()).toEqual([
      'functions/adapters/sms/twilio.ts',
      'functions/adapters/video/p2p.ts',
      'functions/adapters/video/twilio.ts',
    ]);
    expect([...new Set(twilioImports)].sort()).toEqual([
      'twilio/lib/jwt/AccessToken',
      'twilio/lib/webhooks/webhooks',
    ]);
  });
});

describe('the contract checker can fail', () => {
  const messages = `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const form = 'application/x-www-form-urlencoded';
  const problemsOf = (url: string, body: string, method = 'POST', contentType = form) =>
    checkRequest(url, method, contentType, body).problems;

  it('accepts a well-formed text', () => {
    expect(problemsOf(messages, 'To=%2B15555550100&Body=hi&From=%2B15005550006&ValidityPeriod=60')).toEqual(
      [],
    );
  });

  it.each([
    [
      'a misspelt parameter',
      messages,
      'To=x&Body=hi&ValidityPeriods=60',
      /ValidityPeriods is not a parameter/,
    ],
    [
      'a non-integer integer',
      messages,
      'To=x&Body=hi&ValidityPeriod=ten',
      /ValidityPeriod: "ten" is not an integer/,
    ],
    ['a missing required parameter', messages, 'Body=hi', /required To is missing/],
    [
      'a status callback that is no URI',
      messages,
      'To=x&Body=hi&StatusCallback=not%20a%20url',
      /StatusCallback: "not a url" is not a URI/,
    ],
    ['a wrong path', messages.replace('Messages.json', 'Message.json'), 'To=x', /no documented Twilio path/],
    [
      'a path on the wrong host',
      'https://api.twilio.com/v1/Rooms',
      'Type=group',
      /no documented Twilio path/,
    ],
    [
      'an account SID of the wrong shape',
      messages.replace(accountSid, 'AC123'),
      'To=x',
      /AccountSid.*does not match/,
    ],
    [
      'a room type Twilio does not have',
      'https://video.twilio.com/v1/Rooms',
      'Type=groups',
      /"groups" is not one of/,
    ],
    [
      'a room status Twilio does not have',
      'https://video.twilio.com/v1/Rooms/appt-1',
      'Status=ended',
      /"ended" is not one/,
    ],
    [
      'a boolean that is not one',
      'https://video.twilio.com/v1/Rooms',
      'RecordParticipantsOnConnect=no',
      /not a boolean/,
    ],
    [
      'a recording rule with an undocumented field',
      'https://video.twilio.com/v1/Rooms/appt-1/RecordingRules',
      `Rules=${encodeURIComponent('[{"types":"include","all":true}]')}`,
      /Rules\[0\]\.types: not a documented field/,
    ],
    [
      'recording rules that are not JSON',
      'https://video.twilio.com/v1/Rooms/appt-1/RecordingRules',
      'Rules=include',
      /Rules: not JSON/,
    ],
  ])('rejects %s', (_name, url, body, problem) => {
    expect(problemsOf(url, body).join('\n')).toMatch(problem);
  });

  it('rejects a query parameter a GET does not document, and a GET with a body', () => {
    const settings = 'https://video.twilio.com/v1/RecordingSettings/Default';
    expect(problemsOf(settings, '', 'GET', '')).toEqual([]);
    expect(problemsOf(`${settings}?PageSize=5`, '', 'GET', '')).toEqual([
      'PageSize is not a query parameter of GET https://video.twilio.com/v1/RecordingSettings/Default',
    ]);
    expect(problemsOf(settings, 'FriendlyName=x', 'GET', '')).toEqual([
      'GET https://video.twilio.com/v1/RecordingSettings/Default takes no body',
    ]);
  });

  it('rejects a method the path does not document, and a body that is not a form', () => {
    expect(problemsOf('https://video.twilio.com/v1/Rooms', '', 'DELETE')).toEqual([
      '/v1/Rooms documents no DELETE',
    ]);
    expect(problemsOf(messages, 'To=x', 'POST', 'application/json')).toEqual([
      'content-type application/json is not application/x-www-form-urlencoded',
    ]);
  });
});
