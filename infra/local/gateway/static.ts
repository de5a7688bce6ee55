/** The web app's files and its runtime `config.json`, served like CloudFront serves them on AWS. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { WebConfig } from '../../../shared/api';
import { PRACTICE_FILES, PRACTICE_PATH } from '../../../shared/practice';
import { WEB_MANIFEST_PATH, webManifest } from '../../practice';
import { jsonError, type Route } from './http-io';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** Text types are sent compressed when the browser accepts it, as CloudFront's `compress` does. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.webmanifest', '.svg', '.txt', '.md']);
const compressed = new Map<string, { mtimeMs: number; body: Buffer }>();

function body(file: string, encoding: 'br' | 'gzip' | undefined): Buffer {
  if (!encoding) return readFileSync(file);
  const key = `${encoding}:${file}`;
  const { mtimeMs } = statSync(file);
  const cached = compressed.get(key);
  if (cached?.mtimeMs === mtimeMs) return cached.body;
  const raw = readFileSync(file);
  const packed =
    encoding === 'br'
      ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } })
      : gzipSync(raw, { level: 9 });
  compressed.set(key, { mtimeMs, body: packed });
  return packed;
}

export interface StaticOptions {
  port: number;
  webRoot: string;
  webConfig: WebConfig;
  /** The practice directory: its logo and legal texts are served under PRACTICE_PATH. */
  practiceDir: string;
  /** Origins the browser may talk to besides this one (cognito-local). */
  connectSources: string[];
}

export function webApp(options: StaticOptions): Route {
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${options.port} ${options.connectSources.join(' ')}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

  return function serveStatic(req, res, url) {
    const headers = {
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self)',
    };
    if (url.pathname === '/config.json') {
      res.writeHead(200, { ...headers, 'content-type': MIME['.json']!, 'cache-control': 'no-store' });
      return res.end(JSON.stringify(options.webConfig));
    }
    if (url.pathname === WEB_MANIFEST_PATH) {
      res.writeHead(200, { ...headers, 'content-type': MIME['.webmanifest']!, 'cache-control': 'no-cache' });
      return res.end(JSON.stringify(webManifest(options.webConfig.practice)));
    }
    const practiceFile = url.pathname.startsWith(`${PRACTICE_PATH}/`)
      ? url.pathname.slice(PRACTICE_PATH.length + 1)
      : undefined;
    const root = resolve(practiceFile === undefined ? options.webRoot : options.practiceDir);
    if (practiceFile !== undefined && !(PRACTICE_FILES as readonly string[]).includes(practiceFile))
      return jsonError(res, 404, 'not_found', 'No such file');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return jsonError(res, 400, 'bad_path', 'The address is not valid');
    }
    let file = normalize(join(root, practiceFile ?? decoded));
    if (!file.startsWith(root + sep) && file !== root) return jsonError(res, 400, 'bad_path', 'Bad path');
    if (!existsSync(file) || statSync(file).isDirectory()) {
      // Client-side routes fall back to the app shell, like CloudFront's error response does.
      if (extname(url.pathname)) return jsonError(res, 404, 'not_found', 'No such file');
      file = join(root, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        return res.end('The web app is not built. Run `npm run build:web`.');
      }
    }
    const immutable = url.pathname.startsWith('/assets/');
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const encoding = !COMPRESSIBLE.has(extname(file))
      ? undefined
      : /\bbr\b/.test(accepted)
        ? 'br'
        : /\bgzip\b/.test(accepted)
          ? 'gzip'
          : undefined;
    const content = body(file, encoding);
    res.writeHead(200, {
      ...headers,
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'content-length': content.length,
      vary: 'accept-encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : content);
  };
}
