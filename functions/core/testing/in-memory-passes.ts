import type { GuestRepository, StoredGuest } from '../guests';
import type { StoredPass, VisitPassStore, VisitSession } from '../visit-passes';

/** Visit passes and sessions by hash, with the same single-use and expiry rules as DynamoDB's condition. */
export function inMemoryVisitPasses() {
  const passes = new Map<string, StoredPass & { usedAt?: string }>();
  const sessions = new Map<string, VisitSession>();
  const store: VisitPassStore = {
    createPass: async (pass) => void passes.set(pass.hash, { ...pass }),
    redeem: async (hash, nowSeconds, usedAt) => {
      const pass = passes.get(hash);
      if (!pass || pass.usedAt || pass.expiresAt <= nowSeconds) return undefined;
      pass.usedAt = usedAt;
      return { ...pass };
    },
    createSession: async (hash, session) => void sessions.set(hash, { ...session }),
    getSession: async (hash) => sessions.get(hash),
    revokePass: async (hash) => void passes.delete(hash),
    revoke: async (appointmentId, holderId) => {
      for (const map of [passes, sessions] as Map<string, VisitSession>[]) {
        for (const [hash, item] of map) {
          if (item.appointmentId === appointmentId && (!holderId || item.holderId === holderId))
            map.delete(hash);
        }
      }
    },
  };
  return { store, passes, sessions };
}

export function inMemoryGuests(): GuestRepository & { all: Map<string, StoredGuest> } {
  const all = new Map<string, StoredGuest>();
  return {
    all,
    get: async (id) => all.get(id),
    put: async (guest) => void all.set(guest.appointmentId, { ...guest }),
    update: async (appointmentId, guestId, changes) => {
      const guest = all.get(appointmentId);
      if (!guest || guest.guestId !== guestId) return undefined;
      const updated = { ...guest, ...changes };
      all.set(appointmentId, updated);
      return updated;
    },
    delete: async (id) => void all.delete(id),
  };
}
