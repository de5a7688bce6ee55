import type { Role } from '../../shared/roles';

/** Who is calling, as core sees it: verified by the transport before core is reached. */
export interface Identity {
  userId: string;
  email: string;
  role: Role;
  /** When the user signed in (epoch seconds, the token's `auth_time`, else `iat`), if known. */
  authenticatedAt?: number;
}
