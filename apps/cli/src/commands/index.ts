import type { RegistryEntry } from '../command.ts';
import { login, logout, whoami } from './auth.ts';
import { deploy } from './deploy.ts';
import { inspect, ls } from './deployments.ts';
import { dev } from './dev.ts';
import { env } from './env.ts';
import { link } from './link.ts';
import { logs } from './logs.ts';
import { open } from './open.ts';
import { projects } from './projects.ts';
import { promote, rollback } from './release.ts';
import { server } from './server.ts';
import { tokens } from './tokens.ts';

/** Every top-level command, keyed by the name typed after "helix"; help lists them in this order. */
export const registry: Record<string, RegistryEntry> = {
  login,
  logout,
  whoami,
  projects,
  link,
  deploy,
  ls,
  inspect,
  logs,
  open,
  promote,
  rollback,
  dev,
  env,
  tokens,
  server,
};
