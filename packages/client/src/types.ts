/** Shapes of the /v1 API, as the server answers them. Dates are ISO 8601 strings. */

export type Role = 'owner' | 'admin' | 'developer' | 'viewer';

export const roles: readonly Role[] = ['owner', 'admin', 'developer', 'viewer'];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** One page of a list; pass nextCursor back as `cursor` to get the next page, null on the last one. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageOptions {
  /** 1..100; the server picks a default when absent. */
  limit?: number;
  cursor?: string;
}

export interface Health {
  status: 'ok';
  version: string;
  driver: string;
}

export interface Whoami {
  user: { id: string; email: string; name: string };
  org: { id: string; name: string };
  token: { id: string; name: string; role: Role };
}

export interface Project {
  id: string;
  name: string;
  createdAt: string;
  /** The deployment the production alias points at; null before the first production deploy. */
  productionDeploymentId: string | null;
  urls: { production: string };
}

export interface Environment {
  id: string;
  name: string;
  /** production, preview and development come with every project; custom ones are created by users. */
  kind: string;
  createdAt: string;
}

export interface EnvVar {
  id: string;
  key: string;
  environment: string;
  sensitive: boolean;
  /** Absent when the variable is sensitive: its value is write-only. */
  value?: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnvVarInput {
  key: string;
  value: string;
  environment: string;
  sensitive?: boolean;
}

export interface EnvVarListOptions extends PageOptions {
  environment?: string;
}

/** The result of setting a variable: created is false when an existing one was replaced. */
export interface SetEnvVarResult {
  envVar: EnvVar;
  created: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  /** The first characters of the secret, enough to recognise it. */
  prefix: string;
  userId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokenInput {
  name: string;
  role?: Role;
}

/** A new token; the secret is shown this once and cannot be read again. */
export interface CreatedToken {
  token: ApiToken;
  secret: string;
}
