import { expect, test } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { seriousA11yViolations, signIn } from './helpers';

test('an admin searches the audit trail on a phone, pages it and exports the search as CSV', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  await expect(page).toHaveURL(/\/admin$/);
  const trail = page.getByRole('search', { name: 'Search the audit trail' });
  // The admin's own search of the trail is on the trail once the page has searched once.
  await trail.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('list', { name: 'Audit entries' })).toContainText('Searched the audit trail');

  await trail.getByLabel('User id (who acted)').fill('not an id');
  await trail.getByRole('button', { name: 'Search' }).click();
  await expect(trail.getByText('Not a valid user id')).toBeVisible();
  await trail.getByLabel('User id (who acted)').fill('');
  await trail.getByLabel('From (UTC)').fill('2026-01-01');
  await trail.getByLabel('To (UTC)').fill('2025-12-01');
  await trail.getByRole('button', { name: 'Search' }).click();
  await expect(trail.getByText('Must not be before from')).toBeVisible();

  const today = new Date().toISOString().slice(0, 10);
  await trail.getByLabel('From (UTC)').fill(today);
  await trail.getByLabel('To (UTC)').fill(today);
  await trail.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('list', { name: 'Audit entries' })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  const download = page.waitForEvent('download');
  await trail.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toBe(`audit-${today}-to-${today}.csv`);
  await expect(page.getByText('Downloaded the CSV file.')).toBeVisible();
});
