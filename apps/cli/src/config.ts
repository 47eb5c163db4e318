import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HelixError } from '@helixstack/sdk';

export const defaultApiUrl = 'http://127.0.0.1:3000';

/** What `helix login` stores: one API URL and the token for it. */
export interface StoredLogin {
  apiUrl: string;
  token: string;
}

type Env = Record<string, string | undefined>;

/** $HELIX_CONFIG_DIR, else $XDG_CONFIG_HOME/helix, else ~/.config/helix. */
export function configDir(env: Env): string {
  if (env.HELIX_CONFIG_DIR) return env.HELIX_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'helix');
}

export function configPath(env: Env): string {
  return join(configDir(env), 'config.json');
}

/** Accepts an http(s) URL and returns it without trailing slashes; anything else is a usage error. */
export function normalizeApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HelixError('HLX_CLI_USAGE', `The API URL "${raw}" is not a URL, e.g. ${defaultApiUrl}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HelixError('HLX_CLI_USAGE', `The API URL "${raw}" must start with http:// or https://.`);
  }
  return url.href.replace(/\/+$/, '');
}

/** Reads a JSON file, returning undefined when it does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HelixError('HLX_CLI_CONFIG_INVALID', `${path} is not valid JSON; fix or delete it.`);
  }
}

export async function readLogin(env: Env): Promise<StoredLogin | undefined> {
  const path = configPath(env);
  const data = await readJsonFile(path);
  if (data === undefined) return undefined;
  const { apiUrl, token } = (data ?? {}) as Partial<Record<keyof StoredLogin, unknown>>;
  if (typeof apiUrl !== 'string' || typeof token !== 'string') {
    throw new HelixError('HLX_CLI_CONFIG_INVALID', `${path} lacks apiUrl or token; run "helix login" again.`);
  }
  return { apiUrl, token };
}

/** Writes the login readable by its owner only (0600), replacing the old file in one rename. */
export async function writeLogin(env: Env, login: StoredLogin): Promise<string> {
  const dir = configDir(env);
  const path = configPath(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

/** Removes the stored login; false when there was none. */
export async function removeLogin(env: Env): Promise<boolean> {
  const path = configPath(env);
  const existed = (await readJsonFile(path).catch(() => true)) !== undefined;
  await rm(path, { force: true });
  return existed;
}
