import { type Role, roles } from '@helixstack/db';

/** What a route needs: a role at least this high, or nothing at all. */
export type Access = Role | 'public';

export function rank(role: Role): number {
  return roles.indexOf(role);
}

export function atLeast(role: Role, needed: Role): boolean {
  return rank(role) >= rank(needed);
}

export function lowest(a: Role, b: Role): Role {
  return rank(a) <= rank(b) ? a : b;
}
