import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { totp } from '../../infra/local/totp';
import { dataDir } from './playwright.config';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** TOTP secrets of the users enrolled so far: the seeded demo staff, and staff the tests enrolled. */
const totpSecrets = new Map<string, string>();

export function rememberTotpSecret(email: string, secret: string) {
  totpSecrets.set(email, secret);
}

export function totpSecretOf(email: string): string | undefined {
  if (!totpSecrets.size) {
    const { demoTotpSecrets } = JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8')) as {
      demoTotpSecrets: Record<'admin' | 'doctor', string>;
    };
    totpSecrets.set(DEMO_USERS.admin.email, demoTotpSecrets.admin);
    totpSecrets.set(DEMO_USERS.doctor.email, demoTotpSecrets.doctor);
  }
  return totpSecrets.get(email);
}

/** Signs in; a user enrolled in two-step sign-in also enters the current code from their secret. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const secret = totpSecretOf(email);
  if (secret) {
    await expect(page.getByRole('heading', { name: 'Enter your sign-in code' })).toBeVisible();
    await page.getByLabel('6-digit code').fill(totp(secret));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
  }
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page and returns serious and critical violations only. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
