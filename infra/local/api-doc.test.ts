import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { renderApiDoc } from './api-doc';

it('docs/api.md matches the routes table (run `npm run docs:api` after changing a route)', () => {
  expect(readFileSync(resolve(import.meta.dirname, '../../docs/api.md'), 'utf8')).toBe(renderApiDoc());
});
