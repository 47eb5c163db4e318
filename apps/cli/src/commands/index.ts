import type { RegistryEntry } from '../command.ts';
import { login, logout, whoami } from './auth.ts';
import { env } from './env.ts';
import { link } from './link.ts';
import { projects } from './projects.ts';
import { server } from './server.ts';
import { tokens } from './tokens.ts';

/** Every top-level command, keyed by the name typed after "helix"; help lists them in this order. */
export const registry: Record<string, RegistryEntry> = {
  login,
  logout,
  whoami,
  projects,
  link,
  env,
  tokens,
  server,
};
