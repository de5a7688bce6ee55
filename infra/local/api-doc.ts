/** Renders docs/api.md from the routes table (`npm run docs:api`); a unit test keeps it current. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRouteList, jobs, wsAuthorizer, wsRouteList } from '../../functions/routes';

export function renderApiDoc(): string {
  const roles = (r: readonly string[] | 'public') => (r === 'public' ? 'public' : r.join(', '));
  const lines = [
    '# API',
    '',
    'Generated from the contract (`shared/contract.ts`, with the server side in `functions/routes.ts`) by',
    '`npm run docs:api`; do not edit by hand. Clients call routes by id through `shared/client.ts`.',
    '',
    'REST base URL: `<apiUrl>` from `/config.json` (locally `http://127.0.0.1:3000/api`). Send the Cognito',
    'ID token in `Authorization`. Errors: `{"error":{"code","message","fields"?}}` with 400 (invalid JSON or',
    'fields), 401, 403, 404, 409 (conflicts, with a specific `code`), 413 (body over 64 KB), 415 (not JSON),',
    '422 (an `Idempotency-Key` reused with another body), 500 (with a `requestId` only).',
    '',
    '## REST',
    '',
    '| id | method | path | roles | body | query | what it does |',
    '|---|---|---|---|---|---|---|',
    ...httpRouteList.map(
      (r) =>
        `| \`${r.id}\` | ${r.method} | \`${r.path}\` | ${roles(r.roles)} | ${r.body ? (r.consumes === 'form' ? 'form' : 'JSON') : ''} | ${r.query ? 'yes' : ''} | ${r.summary}${r.localOnly ? ' (local platform only)' : ''} |`,
    ),
    '',
    '## WebSocket',
    '',
    `Connect to \`<wsUrl>?token=<ID token>\` (checked by the \`${wsAuthorizer.handler}\` authorizer). Frames are JSON`,
    'with an `action`; at most 32 KB; 20 frames burst, 10/s sustained per connection. Bad frames get',
    '`{"type":"error","code","message"}` and the connection stays open.',
    '',
    '| action | roles | what it does |',
    '|---|---|---|',
    ...wsRouteList.map((r) => `| \`${r.route}\` | ${roles(r.roles)} | ${r.summary} |`),
    '',
    '## Jobs',
    '',
    ...Object.values(jobs).map((j) => `- \`${j.handler}\`: ${j.summary}`),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(resolve(import.meta.dirname, '../../docs/api.md'), renderApiDoc());
}
