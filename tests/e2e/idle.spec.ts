import { expect, test } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';
import type { WebConfig } from '../../shared/api';
import { seriousA11yViolations, signIn } from './helpers';

test('the app warns before the idle sign-out, a click keeps the session, and idling on signs out', async ({
  page,
}) => {
  // The idle time shortened through the web config the app loads (15 minutes / 60 s by default).
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as WebConfig;
    await route.fulfill({ response, json: { ...config, idleSignOutSeconds: 8, idleWarningSeconds: 4 } });
  });
  await page.clock.install();
  await signIn(page, DEMO_USERS.patient.email, DEMO_USERS.patient.password);
  await expect(page).toHaveURL(/\/patient$/);

  const warning = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await expect(warning).toBeHidden();
  await page.clock.fastForward(5_000);
  await expect(warning).toBeVisible();
  await expect(warning).toContainText(/You will be signed out in [1-4] s for your privacy/);
  await expect(warning.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Any click dismisses it (here: outside the dialog), and the session goes on.
  await page.mouse.click(5, 5);
  await expect(warning).toBeHidden();
  await expect(page).toHaveURL(/\/patient$/);

  // Then nothing more: first the warning again, then the login page with the reason.
  await page.clock.fastForward(5_000);
  await expect(warning).toBeVisible();
  await page.clock.fastForward(4_000);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('status')).toHaveText('You were signed out after 8 seconds without activity');
  // Signed out for real: the dashboard sends back to the login page.
  await page.goto('/patient');
  await expect(page).toHaveURL(/\/login/);
});
