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

/**
 * Where the web app manifest is served. It is written from the practice (never part of the web
 * build), so the app a patient installs is called by the practice's name.
 */
export const WEB_MANIFEST_PATH = '/manifest.webmanifest';

/** The web app manifest of a practice's deployment. */
export function webManifest(practice: { name: string; tagline?: string }) {
  return {
    name: practice.name,
    short_name: practice.name,
    description: practice.tagline ?? `Video visits with ${practice.name}.`,
    id: '/',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    lang: 'en',
    theme_color: '#0b5cab',
    background_color: '#f4f6f9',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}
