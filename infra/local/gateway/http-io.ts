/** Small pieces of HTTP plumbing the gateway's parts share. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../../../shared/policy';

/** A request handler of one part of the gateway (web app, REST API, @connections). */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => unknown;

export function jsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
) {
  // The gateway's own answers carry the handlers' security headers (as API Gateway's do on AWS).
  res.writeHead(status, { ...SECURITY_HEADERS, ...extra });
  res.end(JSON.stringify({ error: { code, message } }));
}

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
