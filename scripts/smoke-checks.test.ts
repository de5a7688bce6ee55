import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../shared/policy';
import { smokeChecks, stackUrls, type Check, type StackUrls } from './smoke-checks';

const urls: StackUrls = {
  webUrl: 'https://d111.cloudfront.net',
  apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/v1',
  wsUrl: 'wss://def.execute-api.eu-west-1.amazonaws.com/v1',
};
const outputs = { WebUrl: urls.webUrl, ApiUrl: urls.apiUrl, WsUrl: urls.wsUrl, TableName: 't' };

describe('stackUrls', () => {
  it('finds the one stack with the web app and API outputs', () => {
    expect(stackUrls({ CDKToolkit: { BucketName: 'b' }, 'Telehealth-staging': outputs })).toEqual(urls);
  });

  it('refuses outputs without such a stack, or with several', () => {
    expect(() => stackUrls({ Telehealth: { ...outputs, ApiUrl: undefined } })).toThrow(
      /No stack .* WebUrl, ApiUrl, WsUrl/,
    );
    expect(() => stackUrls({ Telehealth: { ...outputs, WebUrl: 'http://d111.cloudfront.net' } })).toThrow(
      /No stack/,
    );
    expect(() => stackUrls(null)).toThrow(/holds no stacks/);
    expect(() => stackUrls({ A: outputs, B: outputs })).toThrow(/Several stacks .*: A, B/);
  });
});

const webHeaders = {
  'Content-Type': 'text/html',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; connect-src 'self' https://abc.execute-api.eu-west-1.amazonaws.com wss://def.execute-api.eu-west-1.amazonaws.com; frame-ancestors 'none'",
};

function check(name: string): Check {
  const found = smokeChecks(urls).find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return found;
}

async function problems(name: string, body: string, status: number, headers: Record<string, string>) {
  return check(name).verify(new Response(body, { status, headers }));
}

describe('smoke checks', () => {
  it('ask for the web root, its settings and the API health route', () => {
    expect(smokeChecks({ ...urls, webUrl: `${urls.webUrl}/` }).map((c) => c.url)).toEqual([
      'https://d111.cloudfront.net/',
      'https://d111.cloudfront.net/config.json',
      'https://abc.execute-api.eu-west-1.amazonaws.com/v1/health',
    ]);
  });

  it('pass a web app served with its security headers', async () => {
    expect(await problems('web app', '<!doctype html>', 200, webHeaders)).toEqual([]);
  });

  it('report each missing or weak web header', async () => {
    const { 'X-Frame-Options': _, ...withoutFrameOptions } = webHeaders;
    const found = await problems('web app', '<!doctype html>', 200, {
      ...withoutFrameOptions,
      'Strict-Transport-Security': 'max-age=300',
      'Content-Security-Policy': "default-src 'self'; script-src 'self' 'unsafe-inline'",
    });
    expect(found).toEqual([
      'X-Frame-Options is null, wanted "DENY"',
      'Strict-Transport-Security is "max-age=300", wanted max-age ≥ 1 year and includeSubDomains',
      `CSP script-src is "'self' 'unsafe-inline'", wanted 'self'`,
      "CSP lacks frame-ancestors 'none'",
      'CSP connect-src does not allow https://abc.execute-api.eu-west-1.amazonaws.com',
      'CSP connect-src does not allow wss://def.execute-api.eu-west-1.amazonaws.com',
    ]);
  });

  it('report a web app that is not served', async () => {
    expect(
      await problems('web app', 'denied', 403, { ...webHeaders, 'Content-Type': 'application/xml' }),
    ).toEqual(['status 403, wanted 200', 'Content-Type is "application/xml", wanted text/html']);
  });

  it("check that config.json points at this stack's APIs", async () => {
    const config = JSON.stringify({ apiUrl: urls.apiUrl, wsUrl: urls.wsUrl, region: 'eu-west-1' });
    expect(await problems('web settings', config, 200, {})).toEqual([]);
    const stale = JSON.stringify({ apiUrl: 'https://old.example', wsUrl: urls.wsUrl });
    expect(await problems('web settings', stale, 200, {})).toEqual([
      "config.json apiUrl is not the stack's ApiUrl",
    ]);
    expect(await problems('web settings', 'not json', 200, {})).toHaveLength(2);
  });

  it('pass a healthy API answering with the shared security headers', async () => {
    expect(await problems('API health', '{"status":"ok"}', 200, SECURITY_HEADERS)).toEqual([]);
  });

  it('report an unhealthy API or one without its security headers', async () => {
    const { 'Cache-Control': _, ...headers } = SECURITY_HEADERS;
    expect(await problems('API health', '{"message":"Missing Authentication Token"}', 403, headers)).toEqual([
      'status 403, wanted 200',
      'body is {"message":"Missing Authentication Token"}, wanted status "ok"',
      'Cache-Control is null, wanted "no-store"',
    ]);
  });

  it('report a Twilio secret the health route finds unfilled', async () => {
    const body = (twilio: string) => JSON.stringify({ status: 'ok', checks: { table: 'ok', twilio } });
    expect(await problems('API health', body('ok'), 200, SECURITY_HEADERS)).toEqual([]);
    expect(await problems('API health', body('unconfigured'), 200, SECURITY_HEADERS)).toEqual([
      expect.stringMatching(/^the Twilio secret is still the placeholder/),
    ]);
  });
});
