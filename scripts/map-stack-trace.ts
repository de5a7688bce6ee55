/**
 * Maps a Lambda stack trace back to the sources with the bundle's source map (the functions run
 * without --enable-source-maps; docs/operations.md). Usage:
 *   npx tsx scripts/map-stack-trace.ts path/to/index.mjs.map < trace.txt
 * Every `index.mjs:LINE:COLUMN` in the input is followed by the source file, line and name.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const [mapFile] = process.argv.slice(2);
if (!mapFile) {
  console.error('usage: npx tsx scripts/map-stack-trace.ts <index.mjs.map> < trace.txt');
  process.exit(2);
}
const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
const trace = readFileSync(0, 'utf8');

/** `index.mjs:12:3456` → ` [functions/core/live.ts:88:11 relaySignal]` appended (1-based lines and columns). */
const mapped = trace.replace(/index\.mjs:(\d+):(\d+)\)?/g, (match, line: string, column: string) => {
  const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
    name?: string;
  };
  if (!entry.originalSource) return match;
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
  const where = `${source}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`;
  return `${match} [${where}${entry.name ? ` ${entry.name}` : ''}]`;
});
process.stdout.write(mapped);
