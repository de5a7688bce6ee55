import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { DEMO_USERS } from '../../infra/local/demo-users';
import { apiFor } from './api';
import { seriousA11yViolations, signIn } from './helpers';

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      field += c;
    } else if (c === ',' || c === '\n') {
      row.push(field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])));
}

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

  await trail.getByLabel('From', { exact: true }).fill('2026-01-01');
  await trail.getByLabel('To', { exact: true }).fill('2025-12-01');
  await trail.getByRole('button', { name: 'Search' }).click();
  await expect(trail.getByText('Must not be before from')).toBeVisible();

  const today = await page.evaluate(() => new Date().toLocaleDateString('sv-SE'));
  await trail.getByLabel('From', { exact: true }).fill(today);
  await trail.getByLabel('To', { exact: true }).fill(today);
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

test('an admin deactivates and reactivates a doctor, and exports the visit in the audit CSV', async ({
  page,
  request,
}) => {
  const setup = await apiFor(request);
  const doctor = await setup.newDoctor(`Dr. Dana Deact ${Date.now() % 100000}`);
  const patient = await setup.newPatient('Paula Export');
  const visit = await setup.bookSoonest(patient.token, doctor.userId);

  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  await expect(page).toHaveURL(/\/admin$/);

  // A temporary password is shown once, and a failed attempt does not sit under the last success.
  const email = `e2e.new.${Date.now()}@example.com`;
  const addForm = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a doctor' }) });
  await addForm.getByLabel('Full name').fill('Dr. Nia New');
  await addForm.getByLabel('Email').fill(email);
  await addForm.getByLabel('Specialty').fill('Dermatology');
  await addForm.getByRole('button', { name: 'Create doctor account' }).click();
  await expect(page.getByText('Account created for Dr. Nia New.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy' })).toBeVisible();
  await addForm.getByLabel('Full name').fill('Dr. Nia New');
  await addForm.getByLabel('Email').fill(email);
  await addForm.getByLabel('Specialty').fill('Dermatology');
  await addForm.getByRole('button', { name: 'Create doctor account' }).click();
  await expect(addForm.getByText('An account with this email already exists').first()).toBeVisible();
  await expect(page.getByText('Account created for Dr. Nia New.')).toBeHidden();
  await expect(page.getByLabel('Temporary password')).toHaveCount(0);

  const doctors = page.getByRole('search', { name: 'Search doctors' });
  await doctors.getByLabel('Name or specialty').fill(doctor.name);
  await doctors.getByRole('button', { name: 'Search' }).click();
  const entry = page
    .getByRole('list', { name: 'Doctor accounts' })
    .getByRole('listitem', { name: doctor.name });
  await expect(entry).toContainText('Active');
  await expect(entry).toContainText('Last signed in');
  await entry.getByRole('button', { name: 'Deactivate' }).click();
  const dialog = page.getByRole('dialog', { name: `Deactivate ${doctor.name}?` });
  await expect(dialog).toContainText('signed out everywhere');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: `Deactivate ${doctor.name}` }).click();
  await expect(page.getByText('1 upcoming visit is still booked with them')).toBeVisible();
  await expect(entry).toContainText('Deactivated');
  // Out of the patients' directory.
  const directory = await setup.as(patient.token).call('listDoctors', { query: { q: doctor.name } });
  expect(directory.items.map((d) => d.doctorId)).not.toContain(doctor.userId);

  await entry.getByRole('button', { name: 'Reactivate' }).click();
  await expect(page.getByText(`${doctor.name} can sign in again`)).toBeVisible();
  await expect(entry).toContainText('Active');
  await expect(page.getByText('1 upcoming visit is still booked with them')).toBeHidden();

  const trail = page.getByRole('search', { name: 'Search the audit trail' });
  await trail.getByRole('button', { name: 'Search' }).click();
  const entries = page.getByRole('list', { name: 'Audit entries' });
  await expect(entries).toContainText('Doctor account reactivated');
  await expect(entries).toContainText(`${doctor.name}'s visit with Paula Export`);
  const download = page.waitForEvent('download');
  await trail.getByRole('button', { name: 'Export CSV' }).click();
  const rows = parseCsv(readFileSync((await (await download).path())!, 'utf8'));
  const ofVisit = rows.filter((r) => r.target_id === visit.appointmentId);
  expect(ofVisit.map((r) => r.action_code)).toContain('appointment.booked');
  for (const row of ofVisit) expect(row.subject).toContain(`${doctor.name}'s visit with Paula Export on`);
  const changes = rows.filter((r) => r.target_id === doctor.userId).map((r) => r.action);
  expect(changes).toEqual(
    expect.arrayContaining(['Doctor account deactivated', 'Doctor account reactivated']),
  );
  expect(rows.find((r) => r.action_code === 'doctor.deactivated')).toMatchObject({
    actor_role: 'Admin',
    outcome: 'Done',
  });
});
