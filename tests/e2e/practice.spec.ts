import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { launchPlatform, type LaunchedPlatform } from '../integration/launch';

/** The landing page names the practice, says what the service is, and how to reach the practice. */
async function expectLanding(page: Page, name: string, phone: string, email: string) {
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
  await expect(page.getByRole('link', { name: 'Create an account' })).toHaveAttribute('href', '/register');
  const main = page.getByRole('main');
  await expect(main.locator(`a[href="tel:${phone}"]`)).toBeVisible();
  await expect(main.getByRole('link', { name: email })).toHaveAttribute('href', `mailto:${email}`);
  await expect(page.getByRole('contentinfo').getByText(name, { exact: true })).toBeVisible();
  await expect(page).toHaveTitle(name);
}

test('the demo practice: landing page, header, footer and its Markdown terms', async ({ page }) => {
  await page.goto('/');
  await expectLanding(page, 'Riverside Demo Clinic', '+12125550123', 'care@riverside-demo.example.test');
  await expect(page.getByRole('banner').getByText('Riverside Demo Clinic')).toBeVisible();
  await page.getByRole('contentinfo').getByRole('link', { name: 'Terms of service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Terms of service' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '2. Not for emergencies' })).toBeVisible();
  await expect(page.getByText('Riverside Demo Clinic is a fictional practice.')).toBeVisible();
  await expect(page.locator('article ul li').first()).toBeVisible();
});

test.describe('another practice directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'telehealth-e2e-practice-'));
  let other: LaunchedPlatform;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    other = await launchPlatform(dataDir, undefined, {
      PRACTICE_DIR: resolve(import.meta.dirname, '../fixtures/practice-harbour'),
    });
  });
  test.afterAll(async () => {
    await other?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('swaps the name, logo, contact details and legal texts without a rebuild', async ({ page }) => {
    await page.goto(`${other.url}/`);
    await expectLanding(page, 'Harbour Fixture Health', '+12125550199', 'desk@harbour-fixture.example.test');
    await expect(page.getByRole('banner').locator('img')).toHaveAttribute('src', '/practice/logo.svg');
    await expect(page.getByText('Riverside')).toHaveCount(0);
    await page.goto(`${other.url}/legal/terms`);
    await expect(page.getByRole('heading', { level: 1, name: 'Harbour fixture terms' })).toBeVisible();
    await expect(page.locator('article strong', { hasText: 'Harbour' })).toBeVisible();
  });
});
