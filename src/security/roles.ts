/**
 * Roles and access levels. A route declares what it needs (`config: { access }`): `read` for GETs,
 * `operator` for lifecycle, `admin` for define/undefine/config. A role grants its level and all below.
 */
import type { ROLES } from '../config/blocks/auth.ts';

/** A token's role. */
export type Role = (typeof ROLES)[number];

/** Access levels routes declare, weakest first. */
export const ACCESS_LEVELS = ['read', 'operator', 'admin'] as const;

/** What a route needs. */
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

const RANK: Readonly<Record<AccessLevel, number>> = { read: 0, operator: 1, admin: 2 };
const GRANTS: Readonly<Record<Role, AccessLevel>> = { 'read-only': 'read', operator: 'operator', admin: 'admin' };

/** True when `role` may use a route that needs `access`. */
export function roleAllows(role: Role, access: AccessLevel): boolean {
  return RANK[GRANTS[role]] >= RANK[access];
}

/** True for a declared access level. */
export function isAccessLevel(value: unknown): value is AccessLevel {
  return typeof value === 'string' && (ACCESS_LEVELS as readonly string[]).includes(value);
}

/** True when the access level changes something (operator and admin routes are audited). */
export function isChange(access: AccessLevel): boolean {
  return access !== 'read';
}
