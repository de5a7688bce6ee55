/**
 * Reads a practice directory (shared/practice.ts) for the local platform and the CDK app: one
 * loader, so both refuse the same incomplete or malformed practice, naming what is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePracticeFile, PRACTICE_FILES, type PracticeFile } from '../shared/practice';

/** The demo practice shipped with the repository. */
export const DEFAULT_PRACTICE_DIR = resolve(import.meta.dirname, '../practice');

export interface PracticeDirectory {
  /** Absolute path of the directory; its files are served under PRACTICE_PATH. */
  dir: string;
  practice: PracticeFile;
}

export function loadPracticeDir(dir: string = DEFAULT_PRACTICE_DIR): PracticeDirectory {
  const absolute = resolve(dir);
  const file = join(absolute, 'practice.json');
  if (!existsSync(file)) throw new Error(`Practice directory ${absolute} has no practice.json`);
  const missing = PRACTICE_FILES.filter((name) => !existsSync(join(absolute, name)));
  if (missing.length) throw new Error(`Practice directory ${absolute} lacks ${missing.join(', ')}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`Invalid practice.json in ${absolute}: not JSON`);
  }
  return { dir: absolute, practice: parsePracticeFile(parsed) };
}
