import type { Availability } from '../../shared/appointments';
import type { AppointmentRepository, ProfileRepository, StoredProfile } from './ports';

/** What open slots need of a doctor besides their busy time. */
export interface DoctorSchedule {
  /** Patients may book them: a doctor's account that is not deactivated. */
  bookable: boolean;
  /** Their published hours, if any. */
  availability: Availability | undefined;
}

/** The pickers' source of doctors' schedules. */
export interface Schedules {
  get(doctorId: string): Promise<DoctorSchedule>;
  /** What this container read of the doctor is out of date (their hours or account changed). */
  forget(doctorId: string): void;
}

/** The one rule on which accounts patients may book: a deactivated doctor is as absent as none. */
export function isBookableDoctor(profile: StoredProfile | undefined): profile is StoredProfile {
  return profile?.role === 'doctor' && !profile.deactivatedAt;
}

/** A doctor's schedule as stored: the profile and the availability, read side by side. */
export function storedSchedules(deps: {
  profiles: Pick<ProfileRepository, 'get'>;
  appointments: Pick<AppointmentRepository, 'getAvailability'>;
}): (doctorId: string) => Promise<DoctorSchedule> {
  return async (doctorId) => {
    const [profile, availability] = await Promise.all([
      deps.profiles.get(doctorId),
      deps.appointments.getAvailability(doctorId),
    ]);
    return { bookable: isBookableDoctor(profile), availability };
  };
}

/**
 * Keeps each doctor's schedule for `ttlMs` per container (Lambda container; the local platform's
 * process is one), so an open-slots request reads only the doctor's busy days: the picker may show
 * hours or a deactivation up to `ttlMs` late in a container that did not make the change (the one
 * that made it forgets at once). That is safe because booking and rescheduling read the profile and
 * the availability afresh and the claims refuse taken time (docs/adr/0019-open-slots-in-one-read.md).
 * Requests that miss at the same time share one read; a failed read is not kept. At most
 * `capacity` doctors are kept, the oldest read forgotten first.
 */
export function cachedSchedules(
  read: (doctorId: string) => Promise<DoctorSchedule>,
  options: { ttlMs: number; now: () => number; capacity: number },
): Schedules {
  const cache = new Map<string, { schedule: Promise<DoctorSchedule>; readAt: number }>();
  return {
    get(doctorId) {
      const now = options.now();
      const hit = cache.get(doctorId);
      if (hit && now - hit.readAt < options.ttlMs) return hit.schedule;
      cache.delete(doctorId);
      if (cache.size >= options.capacity) cache.delete(cache.keys().next().value!);
      const schedule = read(doctorId);
      const entry = { schedule, readAt: now };
      cache.set(doctorId, entry);
      schedule.catch(() => {
        if (cache.get(doctorId) === entry) cache.delete(doctorId);
      });
      return schedule;
    },
    forget(doctorId) {
      cache.delete(doctorId);
    },
  };
}
