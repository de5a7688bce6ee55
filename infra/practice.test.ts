import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { practiceForWeb } from '../shared/practice';
import { DEFAULT_PRACTICE_DIR, loadPracticeDir } from './practice';

const fixture = resolve(import.meta.dirname, '../tests/fixtures/practice-harbour');
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the demo practice with `practice.json` replaced by `json`. */
function practiceWith(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'practice-'));
  made.push(dir);
  cpSync(DEFAULT_PRACTICE_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'practice.json'), typeof json === 'string' ? json : JSON.stringify(json));
  return dir;
}

const demo = loadPracticeDir().practice;

describe('practice configuration', () => {
  it('the shipped demo practice is complete and clearly fictional', () => {
    expect(demo.name).toBe('Riverside Demo Clinic');
    expect(demo.email).toMatch(/\.example\.test$/);
    expect(demo.phone).toMatch(/^\+1\d{3}55501\d{2}$/);
    expect(demo.address.length).toBeGreaterThan(1);
  });

  it('another directory swaps the identity', () => {
    const other = loadPracticeDir(fixture);
    expect(other.dir).toBe(fixture);
    expect(other.practice).toMatchObject({ name: 'Harbour Fixture Health', phone: '+12125550199' });
  });

  it('the web app gets the details and where the files are served', () => {
    expect(practiceForWeb(loadPracticeDir(fixture).practice)).toMatchObject({
      name: 'Harbour Fixture Health',
      phoneDisplay: '+12125550199',
      logoUrl: '/practice/logo.svg',
      termsUrl: '/practice/terms.md',
      privacyUrl: '/practice/privacy.md',
    });
  });

  it('refuses a practice.json with problems, naming each', () => {
    const broken = practiceWith({
      ...demo,
      name: ' ',
      phone: '555 0100',
      email: 'care',
      timeZone: 'Mars/Base',
    });
    const error = (() => {
      try {
        loadPracticeDir(broken);
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(error).toContain('name is required');
    expect(error).toContain('phone must be in international format');
    expect(error).toContain('email must be an email address');
    expect(error).toContain('timeZone must be an IANA time zone');
  });

  it('refuses unknown fields, missing fields, bad JSON and missing files', () => {
    expect(() => loadPracticeDir(practiceWith({ ...demo, colour: 'red' }))).toThrow('unknown field colour');
    const { email: _email, ...withoutEmail } = demo;
    expect(() => loadPracticeDir(practiceWith(withoutEmail))).toThrow('email is required');
    expect(() => loadPracticeDir(practiceWith('{ "name": '))).toThrow('not JSON');
    const noTerms = practiceWith(demo);
    rmSync(join(noTerms, 'terms.md'));
    expect(() => loadPracticeDir(noTerms)).toThrow('lacks terms.md');
    expect(() => loadPracticeDir(join(noTerms, 'nowhere'))).toThrow('has no practice.json');
  });
});
