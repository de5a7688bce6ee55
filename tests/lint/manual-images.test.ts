import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const MANUAL = resolve(import.meta.dirname, '../../docs/manual');
const IMAGES = resolve(MANUAL, 'images');

/** Image paths a markdown text shows: ![alt](path). */
function imagesReferenced(markdown: string): string[] {
  return [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

const manuals = readdirSync(MANUAL).filter((f) => f.endsWith('.md'));
const referenced = manuals.flatMap((f) => imagesReferenced(readFileSync(resolve(MANUAL, f), 'utf8')));

describe('docs/manual images', () => {
  it('finds images in markdown, and only images', () => {
    expect(imagesReferenced('See ![A](images/a.png) and [a link](b.md), ![B](images/b.png).')).toEqual([
      'images/a.png',
      'images/b.png',
    ]);
  });

  it('has the patient and doctor manuals, with pictures', () => {
    expect(manuals).toEqual(expect.arrayContaining(['patient.md', 'doctor.md']));
    expect(referenced.length).toBeGreaterThan(0);
  });

  it('every image a manual shows exists in docs/manual/images', () => {
    const missing = referenced.filter(
      (path) => !path.startsWith('images/') || !existsSync(resolve(MANUAL, path)),
    );
    expect(missing).toEqual([]);
  });

  it('every image in docs/manual/images is shown by a manual (npm run docs:screenshots takes them)', () => {
    const unused = readdirSync(IMAGES).filter((f) => !referenced.includes(`images/${f}`));
    expect(unused).toEqual([]);
  });
});
