import { describe, expect, it } from 'vitest';
import { httpRouteList, type HttpRoute } from './routes';

/**
 * GET routes whose answers hold no patient's health or contact data, so reading them is not audited.
 * A new GET route must either declare `audits` in routes.ts or be added here with its reason.
 */
const READS_WITHOUT_PHI: Record<string, string> = {
  getMe: "the caller's own account profile, read on every page load",
  listDoctors: 'the public doctor directory',
  listDoctorAccounts: "doctors' accounts (staff, not patients) for the admin console",
  listOpenSlots: "a doctor's free times",
  getAvailability: "the calling doctor's own working hours",
  listRescues: "ids and times of the calling doctor's own late patients' texted links; no names",
  visitRates: "the calling doctor's weekly counts of visits, no-shows and late joins",
  listOutbox: 'development only, never deployed (localOnly)',
};

const audits = (route: HttpRoute) => (route as HttpRoute & { audits?: string }).audits;

describe('the audit of reads', () => {
  it('covers every GET route that can answer with patient data', () => {
    const unaudited = httpRouteList
      .filter((route) => route.method === 'GET' && route.roles !== 'public' && !audits(route))
      .map((route) => route.id);
    expect(unaudited.sort()).toEqual(Object.keys(READS_WITHOUT_PHI).sort());
  });

  it('gives every auditing route the right to write its entries', () => {
    const auditing = httpRouteList.filter((route) => audits(route));
    expect(auditing.length).toBeGreaterThan(0);
    for (const route of auditing) expect(['audit', 'write'], route.id).toContain(route.access);
  });

  it('names read actions `<thing>.<verb>` so the admin page can label them', () => {
    for (const route of httpRouteList.filter((r) => audits(r))) {
      expect(audits(route), route.id).toMatch(/^[a-zA-Z]+\.[a-z]+$/);
    }
  });
});
