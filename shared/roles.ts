export const ROLES = ['patient', 'doctor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Every signed-in role. */
export const ANY_USER: readonly Role[] = ['patient', 'doctor', 'admin'];
/** The two sides of a visit. */
export const CARE: readonly Role[] = ['patient', 'doctor'];

/** A user in several groups acts with the most privileged one. */
const PRECEDENCE: readonly Role[] = ['admin', 'doctor', 'patient'];

export function effectiveRole(groups: readonly string[]): Role | undefined {
  return PRECEDENCE.find((role) => groups.includes(role));
}
