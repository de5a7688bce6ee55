import { expect, test, type Page } from '@playwright/test';
import { apiFor } from './api';
import { seriousA11yViolations, signIn, signOut } from './helpers';

const sixDigits = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];

/** Fills the form as a patient in the United Kingdom would: the mobile number in national format. */
async function fillRegistration(page: Page, name: string, email: string, password: string) {
  await page.goto('/register');
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password', { exact: true }).fill(password);
  // The country starts from the browser's language region (en-GB).
  await expect(page.getByLabel('Country of the number')).toHaveValue('GB');
  await page.getByLabel('Mobile number').fill('07700 900123');
  await page.getByLabel('Date of birth').fill('1990-05-17');
  await page.getByLabel(/terms of service/).check();
  await page.getByLabel(/privacy notice/).check();
  const textsOptIn = page.getByLabel(/appointment text messages/);
  // The opt-in names the sender, how often, the charges, and how to stop or get help.
  await expect(textsOptIn).toHaveAccessibleDescription(
    /^Riverside Demo Clinic texts .* about 1–4 texts per visit\. Msg & data rates may apply\. Reply STOP to opt out, HELP for help\./,
  );
  await textsOptIn.check();
}

test.use({ locale: 'en-GB' });

test('a new patient signs up with a national-format number, confirms the emailed code and the phone, and only then gets texts', async ({
  page,
  request,
}) => {
  const api = await apiFor(request);
  const email = `new.patient.${Date.now()}@example.com`;
  const password = 'Correct-Horse-42';
  await page.setViewportSize({ width: 390, height: 844 });

  await test.step('sign up and confirm the email with the code from the outbox', async () => {
    await fillRegistration(page, 'Nia Okafor', email, password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeFocused();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Code from the email').fill('12');
    await page.getByRole('button', { name: 'Confirm email' }).click();
    await expect(page.locator('#field-emailCode-error')).toContainText('6-digit code');
    await page.getByLabel('Code from the email').fill(await api.emailedCode(email));
    await page.getByRole('button', { name: 'Confirm email' }).click();
    await expect(page).toHaveURL(/\/patient$/);
    await expect(page.getByRole('heading', { name: 'Hello, Nia Okafor' })).toBeVisible();
  });

  const token = (await api.signIn(email, password)).AuthenticationResult!.IdToken;
  const doctor = await api.newDoctor('Dr. Lena Fischer');
  const textsOf = async (appointmentId: string) =>
    (await api.as(token).call('listOutbox', { query: { limit: 100 } })).items.filter(
      (m) => m.appointmentId === appointmentId,
    );

  await test.step('before the phone is confirmed, a booking sends no text', async () => {
    await expect(page.getByText('Confirm your phone to get text reminders').first()).toBeVisible();
    const booked = await api.bookSoonest(token, doctor.userId);
    expect(await textsOf(booked.appointmentId)).toEqual([]);
  });

  await test.step('confirm the phone with the texted code, read on the development outbox page', async () => {
    await page.getByRole('button', { name: 'Text me a code' }).click();
    await expect(page.getByLabel('Code from the text')).toBeFocused();
    const outbox = await page.context().newPage();
    await outbox.goto('/dev/outbox');
    const text = outbox.locator('li.message[data-kind="phone-verification"]').first();
    await expect(text).toContainText('+447700900123');
    const code = sixDigits((await text.textContent()) ?? '')!;
    await outbox.close();
    await page.getByLabel('Code from the text').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm phone' }).click();
    await expect(page.locator('#field-phoneCode-error')).toContainText('not right');
    await page.getByLabel('Code from the text').fill(code);
    await page.getByRole('button', { name: 'Confirm phone' }).click();
    await expect(page.getByText('+447700900123 (confirmed)')).toBeVisible();
    await expect(page.getByText('Confirm your phone to get text reminders')).toHaveCount(0);
  });

  await test.step('after it is confirmed, a booking sends a text', async () => {
    const booked = await api.bookSoonest(token, doctor.userId);
    await expect
      .poll(async () => (await textsOf(booked.appointmentId)).map((m) => [m.kind, m.to]))
      .toEqual([['booked', '+447700900123']]);
  });

  await test.step('signing in again needs no further confirmation', async () => {
    await signOut(page);
    await signIn(page, email, password);
    await expect(page).toHaveURL(/\/patient$/);
  });
});

test('an unconfirmed account that signs in is led to the confirm step and can ask for a new code', async ({
  page,
  request,
}) => {
  const api = await apiFor(request);
  const email = `unconfirmed.${Date.now()}@example.com`;
  const password = 'Correct-Horse-43';
  await api.as().call('registerPatient', {
    name: 'Ola Berg',
    email,
    password,
    phone: '+15555550143',
    dateOfBirth: '1991-01-02',
    acceptTerms: true,
    acceptPrivacy: true,
  });
  const first = await api.emailedCode(email);

  await signIn(page, email, password);
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeHidden();
  await page.getByRole('button', { name: 'Send a new code' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'We sent a new code' })).toBeVisible();
  const second = await api.emailedCode(email);
  if (second !== first) {
    await page.getByLabel('Code from the email').fill(first);
    await page.getByRole('button', { name: 'Confirm email' }).click();
    await expect(page.getByRole('alert')).toContainText('code is not right');
  }
  await page.getByLabel('Code from the email').fill(second);
  await page.getByRole('button', { name: 'Confirm email' }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole('heading', { name: 'Hello, Ola Berg' })).toBeVisible();
});

test('signing up with an email that has an account looks the same and changes nothing', async ({
  page,
  request,
}) => {
  const api = await apiFor(request);
  const existing = await api.newPatient('Existing Person');
  await fillRegistration(page, 'Someone Else', existing.email, 'Other-Password-99');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  expect((await api.as(existing.token).call('getMe')).profile.name).toBe('Existing Person');
});

test('the password checklist ticks as the patient types, and the terms link keeps the form', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/register');
  const password = page.getByLabel('Password', { exact: true });
  const rules = page.getByRole('list', { name: 'Your password needs' });

  await test.step('every rule is listed, and each ticks as it is met', async () => {
    await expect(rules.getByRole('listitem')).toHaveText([
      /At least 12 characters \(not yet\)/,
      /A lowercase letter \(not yet\)/,
      /An uppercase letter \(not yet\)/,
      /A digit \(not yet\)/,
    ]);
    const rule = (text: string) => rules.getByRole('listitem').filter({ hasText: text });
    await password.pressSequentially('correct');
    await expect(rule('A lowercase letter')).toContainText('(done)');
    await expect(rule('An uppercase letter')).toContainText('(not yet)');
    await password.fill('Correct-Horse-42');
    await expect(rules.getByText('(not yet)')).toHaveCount(0);
    await expect(page.getByText('Your password meets every rule.')).toBeAttached();
  });

  await test.step('Show reveals the password and leaves the caret in the field', async () => {
    const show = page.getByRole('button', { name: 'Show password', exact: true });
    await expect(show).toHaveAttribute('aria-pressed', 'false');
    await password.click();
    await show.click();
    await expect(show).toHaveAttribute('aria-pressed', 'true');
    await expect(password).toHaveAttribute('type', 'text');
    await expect(password).toBeFocused();
    await show.click();
    await expect(password).toHaveAttribute('type', 'password');
  });

  await test.step('a different confirmation is named under its field', async () => {
    await page.getByLabel('Confirm password', { exact: true }).fill('Correct-Horse-43');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('#field-confirmPassword-error')).toHaveText(
      'The passwords do not match. Type the same password in both fields.',
    );
  });

  await test.step('reading the terms and coming back keeps what was typed, but not the password', async () => {
    await page.getByLabel('Full name').fill('Maya Rees');
    await page.getByLabel('Email').fill('maya.rees@example.com');
    await page.getByLabel('Country of the number').selectOption('IE');
    await page.getByLabel('Mobile number').fill('085 123 4567');
    await page.getByLabel('Date of birth').fill('1984-03-09');
    await page.getByLabel(/privacy notice/).check();
    await page.getByRole('link', { name: 'terms of service', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Terms of service' })).toBeVisible();
    await page.goBack();
    await expect(page.getByLabel('Full name')).toHaveValue('Maya Rees');
    await expect(page.getByLabel('Email')).toHaveValue('maya.rees@example.com');
    await expect(page.getByLabel('Country of the number')).toHaveValue('IE');
    await expect(page.getByLabel('Mobile number')).toHaveValue('085 123 4567');
    await expect(page.getByLabel('Date of birth')).toHaveValue('1984-03-09');
    await expect(page.getByLabel(/privacy notice/)).toBeChecked();
    await expect(page.getByLabel(/terms of service/)).not.toBeChecked();
    await expect(password).toHaveValue('');
    const kept = await page.evaluate(() => JSON.stringify(sessionStorage));
    expect(kept).not.toContain('Correct-Horse');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
