import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Apps run as an unprivileged user when the server runs as root, so every folder on the
 * way to their artifacts and to the Node binary must let others through (o+x). Returns
 * the first folder that does not, for a clear warning instead of a crash loop later.
 */
export function blockedFolder(path: string): string | undefined {
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}
