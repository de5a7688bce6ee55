/** The demo accounts seeded on first start (local platform only; never on AWS). */
export const DEMO_USERS = {
  admin: { email: 'admin@demo.telehealth.test', password: 'DemoAdmin-2026', name: 'Avery Admin' },
  doctor: {
    email: 'doctor@demo.telehealth.test',
    password: 'DemoDoctor-2026',
    name: 'Dr. Dana Rivera',
    specialty: 'General practice',
  },
  patient: {
    email: 'patient@demo.telehealth.test',
    password: 'DemoPatient-2026',
    name: 'Pat Morgan',
    phone: '+15555550123',
    dateOfBirth: '1988-04-12',
  },
} as const;
