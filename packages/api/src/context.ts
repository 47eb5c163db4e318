import type { Database, Driver } from '@helixstack/db';
import type { Platform } from './platform.ts';
import type { SecretBox } from './secret-box.ts';

/** What every route module receives: the database and the services of the control plane. */
export interface ApiContext {
  db: Database;
  driver: Driver;
  secretBox: SecretBox;
  version: string;
  platform: Platform;
}
