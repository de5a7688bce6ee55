/**
 * What the post-deploy smoke test expects of a stage, as pure functions of the stack outputs and of
 * fetched responses, so every rule is unit-tested without a network. scripts/smoke.ts runs them.
 */
import type { WebConfig } from '../shared/api';
import { SECURITY_HEADERS } from '../shared/policy';

export interface StackUrls {
  webUrl: string;
  apiUrl: string;
  wsUrl: string;
}

/** Each URL, the stack output that holds it and the scheme it must have. */
const URL_OUTPUTS = {
  webUrl: ['WebUrl', 'https://'],
  apiUrl: ['ApiUrl', 'https://'],
  wsUrl: ['WsUrl', 'wss://'],
} as const;

/**
 * The URLs of the one stack in a `cdk deploy --outputs-file` document
 * (`{ "<stack>": { "<output>": "<value>" } }`) that has the web app and API outputs.
 */
export function stackUrls(outputs: unknown): StackUrls {
  if (typeof outputs !== 'object' || outputs === null) throw new Error('The outputs file holds no stacks');
  const found = Object.entries(outputs).flatMap(([stack, values]): [string, StackUrls][] => {
    if (typeof values !== 'object' || values === null) return [];
    const record = values as Record<string, unknown>;
    const entries = Object.entries(URL_OUTPUTS).map(([key, [output, scheme]]) => {
      const value = record[output];
      return [key, typeof value === 'string' && value.startsWith(scheme) ? value : undefined] as const;
    });
    const complete = entries.every(([, value]) => value !== undefined);
    return complete ? [[stack, Object.fromEntries(entries) as unknown as StackUrls]] : [];
  });
  const wanted = Object.values(URL_OUTPUTS)
    .map(([output]) => output)
    .join(', ');
  if (found.length === 0) throw new Error(`No stack in the outputs file has the outputs ${wanted}`);
  if (found.length > 1) {
    throw new Error(`Several stacks have outputs ${wanted}: ${found.map(([stack]) => stack).join(', ')}`);
  }
  return found[0]![1];
}

export interface Check {
  name: string;
  url: string;
  /** Everything wrong with the response; empty when it passes. */
  verify(response: Response): Promise<string[]>;
}

/** `Strict-Transport-Security` of at least a year, subdomains included. */
function strictTransportProblems(value: string | null): string[] {
  const maxAge = Number(/max-age=(\d+)/i.exec(value ?? '')?.[1] ?? 0);
  return maxAge >= 31_536_000 && /includeSubDomains/i.test(value ?? '')
    ? []
    : [
        `Strict-Transport-Security is ${JSON.stringify(value)}, wanted max-age ≥ 1 year and includeSubDomains`,
      ];
}

function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name.toLowerCase(), values.join(' ')];
      }),
  );
}

/** The web app's CSP runs only its own scripts, cannot be framed, and lets the app reach its API. */
function contentSecurityProblems(value: string | null, urls: StackUrls): string[] {
  if (!value) return ['Content-Security-Policy is missing'];
  const csp = directives(value);
  const problems: string[] = [];
  if (csp.get('script-src') !== "'self'")
    problems.push(`CSP script-src is ${JSON.stringify(csp.get('script-src'))}, wanted 'self'`);
  if (csp.get('frame-ancestors') !== "'none'") problems.push("CSP lacks frame-ancestors 'none'");
  const connect = (csp.get('connect-src') ?? '').split(' ');
  for (const url of [urls.apiUrl, urls.wsUrl]) {
    if (!connect.includes(new URL(url).origin))
      problems.push(`CSP connect-src does not allow ${new URL(url).origin}`);
  }
  return problems;
}

function exactHeaderProblems(response: Response, expected: Readonly<Record<string, string>>): string[] {
  return Object.entries(expected).flatMap(([name, value]) => {
    const actual = response.headers.get(name);
    return actual === value ? [] : [`${name} is ${JSON.stringify(actual)}, wanted ${JSON.stringify(value)}`];
  });
}

function statusProblems(response: Response): string[] {
  return response.status === 200 ? [] : [`status ${response.status}, wanted 200`];
}

async function jsonBody(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/**
 * The health route's view of the Twilio secret (read server-side; nothing of it reaches us): the
 * placeholder means calls answer 503 and texts wait until ops fill it in (infra/aws/README.md).
 */
function twilioProblems(twilio: unknown): string[] {
  if (twilio === 'unconfigured') {
    return [
      'the Twilio secret is still the placeholder or incomplete: put the credentials in (infra/aws/README.md)',
    ];
  }
  return twilio === 'failing' ? ['the Twilio secret could not be read (see the health function’s logs)'] : [];
}

/** The web app, its runtime settings and the API's health route, with their security headers. */
export function smokeChecks(urls: StackUrls): Check[] {
  const web = urls.webUrl.replace(/\/+$/, '');
  return [
    {
      name: 'web app',
      url: `${web}/`,
      async verify(response) {
        return [
          ...statusProblems(response),
          ...((response.headers.get('content-type') ?? '').startsWith('text/html')
            ? []
            : [`Content-Type is ${JSON.stringify(response.headers.get('content-type'))}, wanted text/html`]),
          ...exactHeaderProblems(response, {
            'X-Content-Type-Options': 'nosniff',
            'X-Frame-Options': 'DENY',
            'Referrer-Policy': 'no-referrer',
          }),
          ...strictTransportProblems(response.headers.get('strict-transport-security')),
          ...contentSecurityProblems(response.headers.get('content-security-policy'), urls),
        ];
      },
    },
    {
      name: 'web settings',
      url: `${web}/config.json`,
      async verify(response) {
        const config = (await jsonBody(response)) as Partial<WebConfig> | undefined;
        return [
          ...statusProblems(response),
          ...(config?.apiUrl === urls.apiUrl ? [] : [`config.json apiUrl is not the stack's ApiUrl`]),
          ...(config?.wsUrl === urls.wsUrl ? [] : [`config.json wsUrl is not the stack's WsUrl`]),
        ];
      },
    },
    {
      name: 'API health',
      url: `${urls.apiUrl.replace(/\/+$/, '')}/health`,
      async verify(response) {
        const body = await jsonBody(response);
        return [
          ...statusProblems(response),
          ...((body as { status?: unknown } | undefined)?.status === 'ok'
            ? []
            : [`body is ${JSON.stringify(body)}, wanted status "ok"`]),
          ...twilioProblems((body as { checks?: { twilio?: unknown } } | undefined)?.checks?.twilio),
          ...exactHeaderProblems(response, SECURITY_HEADERS),
        ];
      },
    },
  ];
}
