import { readFileSync } from 'node:fs';
import { HelixError } from '@helixstack/sdk';

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

/** Finds `user` in a passwd file (name:password:uid:gid:...). */
export function lookupUser(user: string, passwd: string): RunAs | undefined {
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === user && uid !== undefined && gid !== undefined) {
      return { user, uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

/**
 * The account apps run as: `user` when this server runs as root (an app must never get
 * root), otherwise none, and apps run as the server's own user.
 */
export function resolveRunAs(user: string, passwdFile = '/etc/passwd'): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const found = lookupUser(user, readFileSync(passwdFile, 'utf8'));
  if (!found) {
    throw new HelixError(
      'HLX_CONFIG',
      `runtime-process runs apps as the user "${user}" when the server runs as root, but ${passwdFile} has no such user; create it or set the "user" option.`,
    );
  }
  return found;
}
