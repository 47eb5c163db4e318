import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelixError } from '@helixstack/sdk';

/**
 * The key that seals env var values. Servers that share one Postgres must share it
 * (HELIX_SECRET_KEY); a single server keeps its own in the data directory.
 */
export function loadSecretKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32)
      throw new HelixError('HLX_CONFIG', 'HELIX_SECRET_KEY must be 32 bytes, base64 encoded.');
    return key;
  }
  const path = join(dataDir, 'secret-key');
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** The admin token is written once, readable by the server's user only. */
export function writeAdminToken(dataDir: string, token: string): string {
  const path = join(dataDir, 'admin-token');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return path;
}
