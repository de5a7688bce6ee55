/**
 * The API's documentation on the local platform: the OpenAPI document at `/api/docs/openapi.json`
 * and, at `/api/docs`, a page rendered here from that document. The page has no script at all and
 * its one inline style is allowed by hash, so it runs under a CSP that forbids everything else.
 */
import { createHash } from 'node:crypto';
import { openApiDocument } from '../openapi';
import { jsonError, type Route } from './http-io';

export const API_DOCS_PATH = '/api/docs';
export const OPENAPI_JSON_PATH = '/api/docs/openapi.json';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  items?: Schema;
  'x-typescript-type'?: string;
  $ref?: string;
}
interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  'x-roles': string[];
  'x-local-only'?: boolean;
  parameters?: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<
    string,
    { $ref?: string; description?: string; content?: Record<string, { schema: Schema }> }
  >;
}
interface Document {
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  'x-websocket': { description: string; routes: { route: string; roles: string[]; summary: string }[] };
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/** `string (date-time)`, `"asc" | "desc"`, `object` ... */
function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((e) => JSON.stringify(e)).join(' | ');
  if (schema.type === 'array' && schema.items) return `${typeOf(schema.items)}[]`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  return schema.format ? `${type} (${schema.format})` : type;
}

function fields(schema: Schema): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(
    ([name, field]) =>
      `<li><code>${escape(name)}</code>${required.has(name) ? '' : '?'}: ${escape(typeOf(field))}</li>`,
  );
  return rows.length ? `<ul>${rows.join('')}</ul>` : '';
}

function renderOperation(path: string, method: string, op: Operation): string {
  const roles = op['x-roles'].length ? op['x-roles'].join(', ') : 'public';
  const params = (op.parameters ?? []).map(
    (p) =>
      `<li><code>${escape(p.name)}</code>${p.required ? '' : '?'} (${p.in}): ${escape(typeOf(p.schema))}</li>`,
  );
  const body = op.requestBody?.content['application/json']?.schema;
  const responses = Object.entries(op.responses).map(([status, r]) => {
    const typeName = r.content?.['application/json']?.schema['x-typescript-type'];
    const what = r.$ref
      ? r.$ref.split('/').pop()!
      : typeName
        ? `<code>${escape(typeName)}</code>`
        : 'Success';
    return `<li><b>${status}</b> ${r.$ref ? escape(what) : what}</li>`;
  });
  return [
    `<details id="${escape(op.operationId)}">`,
    `<summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code>`,
    `<span class="s">${escape(op.summary)}</span></summary>`,
    `<p><b>Roles:</b> ${escape(roles)}${op['x-local-only'] ? ' · local platform only' : ''} · <code>${escape(op.operationId)}</code></p>`,
    params.length ? `<p><b>Parameters</b></p><ul>${params.join('')}</ul>` : '',
    body ? `<p><b>Body</b> (JSON)</p>${fields(body)}` : '',
    `<p><b>Responses</b></p><ul class="r">${responses.join('')}</ul>`,
    '</details>',
  ].join('');
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.5rem}
summary{cursor:pointer;overflow-wrap:anywhere}code{font-size:.95em;overflow-wrap:anywhere}
.s{display:block;color:#444;font-size:.95rem}
.m{display:inline-block;min-width:4.5em;font-weight:700;font-family:monospace}
.get{color:#0b5394}.post{color:#1c6b2e}.put,.patch{color:#8a4b00}.delete{color:#a61b1b}
.r{columns:14rem}ul{padding-left:1.25rem;margin:.25rem 0}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eee;padding:.25rem;text-align:left;vertical-align:top}`;

export function renderApiDocsPage(doc: Document): string {
  const sections = doc.tags.map(({ name }) => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.tags.includes(name))
        .map(([method, op]) => renderOperation(path, method, op)),
    );
    return `<section><h2 id="tag-${escape(name)}">${escape(name)}</h2>${ops.join('')}</section>`;
  });
  const ws = doc['x-websocket'];
  const wsRows = ws.routes.map(
    (r) =>
      `<tr><td><code>${escape(r.route)}</code></td><td>${escape(r.roles.join(', '))}</td><td>${escape(r.summary)}</td></tr>`,
  );
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(doc.info.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>`,
    `<p>${escape(doc.info.description)}</p>`,
    `<p>The document: <a href="${OPENAPI_JSON_PATH}">openapi.json</a> (OpenAPI 3.1).</p>`,
    `<nav><ul>${doc.tags.map(({ name }) => `<li><a href="#tag-${escape(name)}">${escape(name)}</a></li>`).join('')}<li><a href="#websocket">WebSocket</a></li></ul></nav>`,
    ...sections,
    `<section><h2 id="websocket">WebSocket</h2><p>${escape(ws.description)}</p>`,
    `<table><thead><tr><th>action</th><th>roles</th><th>what it does</th></tr></thead><tbody>${wsRows.join('')}</tbody></table></section>`,
    '</body></html>',
  ].join('\n');
}

const styleHash = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src ${styleHash}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

/** Serves the two documentation addresses; built once, on first request. */
export function apiDocs(): Route {
  let built: { json: string; html: string } | undefined;
  const build = () => {
    const doc = openApiDocument();
    return { json: JSON.stringify(doc), html: renderApiDocsPage(doc as unknown as Document) };
  };
  return function serveApiDocs(req, res, url) {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return jsonError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`);
    built ??= build();
    if (url.pathname === OPENAPI_JSON_PATH) {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      return res.end(req.method === 'HEAD' ? undefined : built.json);
    }
    res.writeHead(200, PAGE_HEADERS);
    res.end(req.method === 'HEAD' ? undefined : built.html);
  };
}

/** Whether the gateway should hand this address to `apiDocs`. */
export const isApiDocs = (pathname: string) =>
  pathname === API_DOCS_PATH || pathname === `${API_DOCS_PATH}/` || pathname === OPENAPI_JSON_PATH;
