import { describe, expect, it } from 'vitest';
import type { Availability } from '../../shared/appointments';
import type { StoredProfile } from './ports';
import { cachedSchedules, isBookableDoctor, storedSchedules, type DoctorSchedule } from './schedules';

const hours = (slotMinutes: number): Availability => ({
  timeZone: 'UTC',
  slotMinutes,
  weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  daysOff: [],
});

/** A store that answers what `current` holds now and counts its reads. */
function countingStore() {
  const store = {
    reads: 0,
    current: { bookable: true, availability: hours(20) } as DoctorSchedule,
    fail: false,
    read: async (_doctorId: string) => {
      store.reads++;
      if (store.fail) throw new Error('store down');
      return structuredClone(store.current);
    },
  };
  return store;
}

describe('cached schedules', () => {
  function setup(ttlMs = 5000, capacity = 10) {
    const store = countingStore();
    let now = 1_000_000;
    const schedules = cachedSchedules(store.read, { ttlMs, now: () => now, capacity });
    return { store, schedules, advance: (ms: number) => (now += ms) };
  }

  it('reads a doctor once within the time to live, and again after it', async () => {
    const { store, schedules, advance } = setup();
    expect((await schedules.get('d-1')).availability?.slotMinutes).toBe(20);
    store.current = { bookable: true, availability: hours(30) };
    advance(4999);
    expect((await schedules.get('d-1')).availability?.slotMinutes).toBe(20);
    expect(store.reads).toBe(1);
    advance(1);
    expect((await schedules.get('d-1')).availability?.slotMinutes).toBe(30);
    expect(store.reads).toBe(2);
  });

  it('reads afresh at once after forget (a change made in this container)', async () => {
    const { store, schedules } = setup();
    await schedules.get('d-1');
    store.current = { bookable: false, availability: undefined };
    schedules.forget('d-1');
    expect(await schedules.get('d-1')).toEqual({ bookable: false, availability: undefined });
    expect(store.reads).toBe(2);
  });

  it('shares one read among requests that miss together, and keeps no failed read', async () => {
    const { store, schedules } = setup();
    await Promise.all(Array.from({ length: 50 }, () => schedules.get('d-1')));
    expect(store.reads).toBe(1);

    store.fail = true;
    await expect(schedules.get('d-2')).rejects.toThrow('store down');
    store.fail = false;
    expect((await schedules.get('d-2')).bookable).toBe(true);
    expect(store.reads).toBe(3);
  });

  it('keeps at most `capacity` doctors, forgetting the oldest read first', async () => {
    const { store, schedules } = setup(5000, 2);
    await schedules.get('d-1');
    await schedules.get('d-2');
    await schedules.get('d-3');
    expect(store.reads).toBe(3);
    await schedules.get('d-3');
    await schedules.get('d-2');
    expect(store.reads).toBe(3);
    await schedules.get('d-1');
    expect(store.reads).toBe(4);
  });
});

describe('stored schedules', () => {
  const profile = (overrides: Partial<StoredProfile>) =>
    ({ userId: 'd-1', role: 'doctor', name: 'Dr A', email: 'a@example.test', ...overrides }) as StoredProfile;

  it('a doctor is bookable unless deactivated; a patient or nobody never is', async () => {
    expect(isBookableDoctor(profile({}))).toBe(true);
    expect(isBookableDoctor(profile({ deactivatedAt: '2026-11-01T00:00:00.000Z' }))).toBe(false);
    expect(isBookableDoctor(profile({ role: 'patient' }))).toBe(false);
    expect(isBookableDoctor(undefined)).toBe(false);
  });

  it('reads the profile and the availability of the doctor asked for', async () => {
    const read = storedSchedules({
      profiles: { get: async (id) => (id === 'd-1' ? profile({}) : undefined) },
      appointments: { getAvailability: async (id) => (id === 'd-1' ? hours(15) : undefined) },
    });
    expect(await read('d-1')).toEqual({ bookable: true, availability: hours(15) });
    expect(await read('d-2')).toEqual({ bookable: false, availability: undefined });
  });
});
