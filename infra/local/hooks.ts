/**
 * What the local Cognito calls back into, on a loopback port of its own:
 * - `POST /2015-03-31/functions/<name>/invocations`: Lambda's Invoke API, so cognito-local runs the
 *   same user-pool trigger handlers (`cognitoTriggers` in functions/routes.ts) that Cognito invokes
 *   on AWS;
 * - `POST /cognito/messages`: the emails and texts Cognito would send (codes), kept in the outbox.
 * Nothing else is served; it trusts its caller as cognito-local trusts any process on the machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as v from 'valibot';
import { cognitoTriggers } from '../../functions/routes';
import type { OutboxEntry } from '../../functions/adapters/sms/outbox';
import { lambdaContext, type HandlerLoader } from './gateway/lambda';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([A-Za-z0-9_-]+)\/invocations$/;
const MAX_BODY = 256 * 1024;

const CognitoMessage = v.object({
  channel: v.picklist(['email', 'sms']),
  recipientId: v.pipe(v.string(), v.minLength(1)),
  to: v.string(),
  code: v.optional(v.string()),
  subject: v.optional(v.string()),
  body: v.optional(v.string()),
});

export interface HookTargets {
  loadHandler: HandlerLoader;
  keepMessage(entry: OutboxEntry): Promise<void>;
}

export interface Hooks {
  url: string;
  /** The handlers exist only once the pool does; until then invocations are refused. */
  attach(targets: HookTargets): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const triggerHandlers = new Set<string>(Object.values(cognitoTriggers).map((t) => t.handler));

export async function startHooks(): Promise<Hooks> {
  let targets: HookTargets | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST') return answer(res, 405, { message: 'POST only' });
      if (!targets) return answer(res, 503, { message: 'The platform is still starting' });
      const raw = await readBody(req);
      const invoke = INVOKE_PATH.exec(req.url ?? '');
      if (invoke) {
        const name = invoke[1]!;
        if (!triggerHandlers.has(name))
          return answer(res, 404, { Type: 'User', Message: `Function not found: ${name}` });
        try {
          const handler = await targets.loadHandler(name);
          const result = await handler(JSON.parse(raw), lambdaContext(name));
          return answer(res, 200, result ?? null);
        } catch (err) {
          // As Lambda reports a failed invocation: 200 with X-Amz-Function-Error.
          return answer(
            res,
            200,
            { errorType: (err as Error).name, errorMessage: (err as Error).message },
            { 'x-amz-function-error': 'Unhandled' },
          );
        }
      }
      if (req.url === '/cognito/messages') {
        const parsed = v.safeParse(CognitoMessage, JSON.parse(raw));
        if (!parsed.success) return answer(res, 400, { message: 'Not a message' });
        const m = parsed.output;
        await targets.keepMessage({
          channel: m.channel,
          recipientId: m.recipientId,
          to: m.to,
          kind: 'verification',
          body: m.body ?? `Your verification code is ${m.code ?? ''}`,
        });
        // Development console: which kind of message went where (masked), never its content.
        console.log(`[${m.channel} outbox] code to …${m.to.slice(-4)} (see /dev/outbox)`);
        return answer(res, 204, null);
      }
      return answer(res, 404, { message: 'Not found' });
    })().catch(() => {
      if (!res.headersSent) answer(res, 400, { message: 'Bad request' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attach: (t) => {
      targets = t;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
