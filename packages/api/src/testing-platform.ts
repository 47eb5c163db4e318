import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Database, pointProductionAlias } from '@helixstack/db';
import { LogStore } from '@helixstack/logs';
import { BlobStore, defaultUploadLimits } from '@helixstack/source';
import type { Platform } from './platform.ts';

/** A platform without build and runtime planes: builds are only recorded, promote moves the alias. */
export function recordingPlatform(
  db: Database,
  dir: string,
): Platform & { builds: string[]; canceled: string[] } {
  const builds: string[] = [];
  const canceled: string[] = [];
  return {
    builds,
    canceled,
    logs: new LogStore(db),
    blobs: (orgId) => new BlobStore(join(dir, 'blobs', orgId)),
    async saveManifest(orgId, digest, files) {
      await mkdir(join(dir, 'sources', orgId), { recursive: true });
      await writeFile(join(dir, 'sources', orgId, `${digest}.json`), JSON.stringify(files));
    },
    uploadLimits: { ...defaultUploadLimits },
    allowLocalSources: true,
    hostnames: { baseDomain: 'localhost', routerPort: 8080 },
    async enqueueBuild(deploymentId) {
      builds.push(deploymentId);
    },
    async promote(projectId, deploymentId) {
      await pointProductionAlias(db, projectId, deploymentId);
    },
    async cancel(deploymentId) {
      canceled.push(deploymentId);
    },
  };
}
