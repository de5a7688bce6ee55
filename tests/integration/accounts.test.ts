import { describe, expect, it } from 'vitest';
import {
  call,
  decodePayload,
  idTokenFor,
  initiateAuth,
  newPatient,
  registerAndSignIn,
  tokenForRole,
} from './support';

describe('patient registration', () => {
  it('creates a patient in group patient whose /me shows the profile', async () => {
    const { patient, token } = await registerAndSignIn();
    expect(decodePayload(token)['cognito:groups']).toEqual(['patient']);
    const me = await call('getMe', { token });
    expect(me.status).toBe(200);
    expect(me.json.profile).toMatchObject({
      role: 'patient',
      name: patient.name,
      email: patient.email,
      phone: patient.phone,
      dateOfBirth: patient.dateOfBirth,
    });
    expect(me.json.profile).not.toHaveProperty('password');
  });

  it('cannot register as a doctor: a role in the body is refused and no account is created', async () => {
    for (const extra of [{ role: 'doctor' }, { groups: ['doctor'] }, { 'custom:role': 'admin' }]) {
      const patient = newPatient(extra);
      const res = await call('registerPatient', { body: patient });
      expect(res.status).toBe(400);
      expect(Object.values(res.json.error.fields)).toContain('This field is not allowed');
      await expect(initiateAuth(patient.email, patient.password)).rejects.toThrow();
    }
  });
});

describe('doctor accounts', () => {
  it('an admin creates a doctor who must set a password at first sign-in', async () => {
    const email = `doctor.${Date.now()}@example.com`;
    const res = await call('createDoctor', {
      token: await tokenForRole('admin'),
      body: { email, name: 'Dr. Ada Byron', specialty: 'Cardiology' },
    });
    expect(res.status).toBe(201);
    expect(res.json.doctor).toMatchObject({ role: 'doctor', email, specialty: 'Cardiology' });
    const temporary = res.json.invitation.temporaryPassword;
    const first = await initiateAuth(email, temporary);
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('a doctor and a patient cannot create doctors', async () => {
    for (const role of ['doctor', 'patient'] as const) {
      const email = `not.created.${role}.${Date.now()}@example.com`;
      const res = await call('createDoctor', {
        token: await tokenForRole(role),
        body: { email, name: 'Dr. No', specialty: 'None' },
      });
      expect(res.status).toBe(403);
      await expect(initiateAuth(email, 'Whatever-Pass-1')).rejects.toThrow();
    }
  });

  it('a doctor email that already exists → 409', async () => {
    const { patient } = await registerAndSignIn();
    const res = await call('createDoctor', {
      token: await tokenForRole('admin'),
      body: { email: patient.email, name: 'Dr. Dup', specialty: 'GP' },
    });
    expect(res.status).toBe(409);
    // The patient is still a patient.
    const token = await idTokenFor(patient.email, patient.password);
    expect(decodePayload(token)['cognito:groups']).toEqual(['patient']);
  });
});

describe('npm run admin -- create-doctor', () => {
  it('creates a doctor on the running local platform and prints the temporary password', async () => {
    const { execFile } = await import('node:child_process');
    const { platform } = await import('./support');
    const p = platform();
    const email = `cli.doctor.${Date.now()}@example.com`;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'infra/local/admin-cli.ts',
          'create-doctor',
          '--email',
          email,
          '--name',
          'Dr. Cli',
          '--specialty',
          'Neurology',
        ],
        {
          env: {
            ...process.env,
            DATA_DIR: p.dataDir,
            COGNITO_PORT: new URL(p.cognitoEndpoint).port,
            DYNAMODB_PORT: new URL(p.dynamodbEndpoint).port,
          },
        },
        (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)),
      ),
    );
    const temporary = /Temporary password: (\S+)/.exec(output)?.[1];
    expect(temporary).toBeDefined();
    const first = await initiateAuth(email, temporary!);
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });
});

describe('the audit trail', () => {
  it('lets an admin read who did what today, with names but no contact details', async () => {
    const { patient, userId } = await registerAndSignIn();
    const day = new Date().toISOString().slice(0, 10);
    const res = await call('readAuditTrail', {
      query: { from: day, to: day, actorId: userId, limit: 100 },
      token: await tokenForRole('admin'),
    });
    expect(res.status).toBe(200);
    expect(res.json.items).toContainEqual(
      expect.objectContaining({
        action: 'patient.registered',
        actorId: userId,
        actorName: patient.name,
        targetId: userId,
      }),
    );
    expect(JSON.stringify(res.json)).not.toContain(patient.email);
    const bad = await call('readAuditTrail', {
      query: { from: '2026-02-30', to: '2026-03-01' },
      token: await tokenForRole('admin'),
    });
    expect(bad.status).toBe(400);
  });
});
