import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { totp } from '../../infra/local/totp';
import { apiFor } from './api';
import { rememberTotpSecret, seriousA11yViolations, signIn, signOut } from './helpers';

/** A new patient signs up through the form and confirms the emailed code, landing on their dashboard. */
async function signUpThroughTheForm(
  page: Page,
  request: APIRequestContext,
  user: { name: string; email: string; password: string; phone: string; dateOfBirth: string },
) {
  await page.goto('/register');
  await page.getByLabel('Full name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Confirm password', { exact: true }).fill(user.password);
  await page.getByLabel('Mobile number').fill(user.phone);
  await page.getByLabel('Date of birth').fill(user.dateOfBirth);
  await page.getByLabel(/terms of service/).check();
  await page.getByLabel(/privacy notice/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await page.getByLabel('Code from the email').fill(await (await apiFor(request)).emailedCode(user.email));
  await page.getByRole('button', { name: 'Confirm email' }).click();
  await expect(page).toHaveURL(/\/patient$/);
}

test('registration shows each problem next to its field and creates nothing', async ({ page }) => {
  await page.goto('/register');
  await page.getByLabel('Mobile number').fill('07700 9');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-phone-error')).toHaveText('This number is too short. Check it');
  await expect(page.locator('#field-password-error')).toHaveText(
    'Your password needs: at least 12 characters, an uppercase letter, a digit',
  );
  // An empty date picker is asked for in its own words, not in a format.
  await expect(page.locator('#field-dateOfBirth-error')).toHaveText('Enter your date of birth');
  await expect(page.locator('#field-acceptTerms-error')).toContainText('terms');
  await expect(page.getByLabel('Mobile number')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/register$/);
});

test('the demo doctor lands on the doctor dashboard and the demo patient on the patient dashboard', async ({
  page,
}) => {
  await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
  await expect(page).toHaveURL(/\/doctor$/);
  await expect(page.getByRole('heading', { name: 'Doctor dashboard' })).toBeVisible();
  // A doctor who types the patient URL is sent back to their own dashboard.
  await page.goto('/patient');
  await expect(page).toHaveURL(/\/doctor$/);
  await signOut(page);

  await signIn(page, DEMO_USERS.patient.email, DEMO_USERS.patient.password);
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { name: `Hello, ${DEMO_USERS.patient.name}` })).toBeVisible();
});

test('a wrong password gets a clear message', async ({ page }) => {
  await signIn(page, DEMO_USERS.patient.email, 'Not-the-password-1');
  await expect(page.getByRole('alert')).toContainText('Incorrect email or password');
  await expect(page).toHaveURL(/\/login$/);
});

test('after sign-out the dashboard is closed and the refresh token no longer works', async ({ page }) => {
  await signIn(page, DEMO_USERS.patient.email, DEMO_USERS.patient.password);
  await expect(page).toHaveURL(/\/patient$/);
  const refreshToken = await page.evaluate(
    () => Object.entries(localStorage).find(([key]) => key.endsWith('.refreshToken'))?.[1],
  );
  expect(refreshToken).toBeTruthy();
  await signOut(page);
  await page.goto('/patient');
  await expect(page).toHaveURL(/\/login$/);

  const config = await (await page.request.get('/config.json')).json();
  const refreshed = await page.request.post(config.cognitoEndpoint, {
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    data: JSON.stringify({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: config.userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  });
  expect(refreshed.status()).toBeGreaterThanOrEqual(400);
});

test('an expired ID token is refreshed when a page opens, the only time a dashboard loads the Cognito library', async ({
  page,
}) => {
  await signIn(page, DEMO_USERS.patient.email, DEMO_USERS.patient.password);
  await expect(page).toHaveURL(/\/patient$/);
  const cognitoLoads: string[] = [];
  page.on('request', (r) => {
    if (/\/assets\/cognito-[^/]*\.js$/.test(new URL(r.url()).pathname)) cognitoLoads.push(r.url());
  });
  const clockDrift = () =>
    page.evaluate(() => Object.entries(localStorage).find(([key]) => key.endsWith('.clockDrift'))?.[1]);

  // A valid token: the dashboard opens without the library.
  await page.reload();
  await expect(page.getByRole('heading', { name: `Hello, ${DEMO_USERS.patient.name}` })).toBeVisible();
  expect(cognitoLoads).toEqual([]);

  // The tokens look an hour old (the clock difference to Cognito the library measured at sign-in,
  // moved back an hour): the page refreshes them, which stores the newly measured difference.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith('.clockDrift'))!;
    localStorage.setItem(key, '-3600');
  });
  await page.reload();
  await expect(page.getByRole('heading', { name: `Hello, ${DEMO_USERS.patient.name}` })).toBeVisible();
  await expect.poll(clockDrift).not.toBe('-3600');
  expect(cognitoLoads).toHaveLength(1);
});

test('one sign-in per browser: a new tab stays signed in, and signing out in one tab signs out all', async ({
  context,
}) => {
  const first = await context.newPage();
  await signIn(first, DEMO_USERS.patient.email, DEMO_USERS.patient.password);
  await expect(first).toHaveURL(/\/patient$/);

  // A new tab (or a call tab reopened after closing it by mistake) opens the dashboard, not the sign-in.
  const second = await context.newPage();
  await second.goto('/login');
  await expect(second).toHaveURL(/\/patient$/);
  await expect(second.getByRole('heading', { name: `Hello, ${DEMO_USERS.patient.name}` })).toBeVisible();
  expect(await seriousA11yViolations(second)).toEqual([]);

  await signOut(first);
  await expect(second).toHaveURL(/\/login$/);
  await expect(second.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);
  await second.goto('/patient');
  await expect(second).toHaveURL(/\/login$/);
});

test('an admin creates a doctor, who chooses a password and sets up two-step sign-in at first sign-in', async ({
  page,
}) => {
  await signIn(page, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  await expect(page).toHaveURL(/\/admin$/);
  const email = `dr.${Date.now()}@example.com`;
  await page.getByLabel('Full name').fill('Dr. Sam Lee');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Specialty', { exact: true }).fill('Dermatology');
  await page.getByRole('button', { name: 'Create doctor account' }).click();
  const temporary = (await page.locator('code.secret').textContent())!.trim();
  expect(temporary.length).toBeGreaterThanOrEqual(12);
  await signOut(page);

  await signIn(page, email, temporary);
  await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('Brand-New-Secret-9');
  await page.getByLabel('Confirm new password', { exact: true }).fill('Brand-New-Secret-8');
  await page.getByRole('button', { name: 'Save password and continue' }).click();
  await expect(page.locator('#field-confirmNewPassword-error')).toHaveText(
    'The passwords do not match. Type the same password in both fields.',
  );
  await expect(page.getByLabel('Confirm new password', { exact: true })).toBeFocused();
  await page.getByLabel('Confirm new password', { exact: true }).fill('Brand-New-Secret-9');
  await page.getByRole('button', { name: 'Save password and continue' }).click();

  // No dashboard before the authenticator is set up, even by typing its address.
  await expect(page).toHaveURL(/\/two-step-setup$/);
  await page.goto('/doctor');
  await expect(page).toHaveURL(/\/two-step-setup$/);
  await page.setViewportSize({ width: 360, height: 740 });
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  const code = page.getByLabel('6-digit code');
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

  await code.fill('12345');
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.locator('#field-totpCode-error')).toContainText('6 digits');
  await code.fill(String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, '0'));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.getByRole('alert')).toContainText('code is not right');
  await code.fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page).toHaveURL(/\/doctor$/);
  await expect(page.getByText('Dermatology')).toBeVisible();
  await signOut(page);

  // From now on the password alone is not enough; a wrong code is refused with a clear message.
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('Brand-New-Secret-9');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your sign-in code' })).toBeVisible();
  await page
    .getByLabel('6-digit code')
    .fill(String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, '0'));
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('code is not right');
  await page.getByLabel('6-digit code').fill(totp(secret));
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page).toHaveURL(/\/doctor$/);
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test.describe('accessibility and small screens', () => {
  for (const path of ['/login', '/register', '/forgot-password']) {
    test(`${path} has no serious or critical axe violations and fits a 360 px phone`, async ({ page }) => {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await seriousA11yViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }

  for (const [role, user] of Object.entries(DEMO_USERS)) {
    test(`the ${role} dashboard has no serious or critical axe violations on a phone`, async ({ page }) => {
      await page.setViewportSize({ width: 360, height: 740 });
      await signIn(page, user.email, user.password);
      await expect(page).toHaveURL(new RegExp(`/${role}$`));
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await seriousA11yViolations(page)).toEqual([]);
    });
  }

  test('the sign-in form works with the keyboard alone', async ({ page }) => {
    await page.goto('/login');
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // brand
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Email')).toBeFocused();
    await page.keyboard.type(DEMO_USERS.patient.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_USERS.patient.password);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/patient$/);
  });
});

test('a patient downloads their data, then deletes their account behind a confirmation and is signed out', async ({
  page,
  request,
}) => {
  const email = `leaving.patient.${Date.now()}@example.com`;
  const password = 'Correct-Horse-42';
  await signUpThroughTheForm(page, request, {
    name: 'Ida Lindqvist',
    email,
    password,
    phone: '+447700900124',
    dateOfBirth: '1988-11-02',
  });

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^telehealth-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(data.profile).toMatchObject({ email, name: 'Ida Lindqvist' });

  await page.getByRole('button', { name: 'Delete my account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  await expect(dialog).toContainText('are kept for as long as the law requires');
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(dialog.getByText('Type DELETE in capital letters to confirm')).toBeVisible();
  await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
  await dialog.getByRole('button', { name: 'Delete my account' }).click();

  await expect(page).toHaveURL(/\/account-deleted$/);
  await expect(page.getByRole('heading', { name: 'Your account has been deleted' })).toBeVisible();
  await signIn(page, email, password);
  await expect(page.getByRole('alert')).toContainText('Incorrect email or password');
  await expect(page).toHaveURL(/\/login$/);
});

test('a patient turns two-step sign-in on in their profile, signs in with a code, and turns it off', async ({
  page,
  request,
}) => {
  const email = `two.step.${Date.now()}@example.com`;
  const password = 'Two-Step-Patient-1';
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpThroughTheForm(page, request, {
    name: 'Tomas Reyes',
    email,
    password,
    phone: '+447700900124',
    dateOfBirth: '1987-03-02',
  });

  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('6-digit code').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Two-step sign-in is on' })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await signOut(page);

  rememberTotpSecret(email, secret);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/patient$/);
  await page.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Two-step sign-in is off' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn on two-step sign-in' })).toBeVisible();
});
