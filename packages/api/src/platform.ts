import type { LogStore } from '@helixstack/logs';
import type { BlobStore, UploadLimits } from '@helixstack/source';

/** How deployment hostnames are formed: `<label>.<baseDomain>` on the router's port. */
export interface Hostnames {
  baseDomain: string;
  /** Port in URLs; omitted from URLs when it is 80. */
  routerPort: number;
}

/**
 * What the deployment routes need from the build and runtime planes. The server passes
 * the real planes; API tests pass a recording stand-in.
 */
export interface Platform {
  logs: LogStore;
  /** The content-addressed store of one organization: blobs never cross tenants. */
  blobs(orgId: string): BlobStore;
  /** Writes a validated upload manifest where the build plane reads it. */
  saveManifest(orgId: string, digest: string, files: unknown[]): Promise<void>;
  uploadLimits: UploadLimits;
  /** file:// and local paths as git sources; an admin setting (HELIX_ALLOW_LOCAL_SOURCES). */
  allowLocalSources: boolean;
  hostnames: Hostnames;
  /** Queues the build of a new deployment. */
  enqueueBuild(deploymentId: string, projectId: string, environmentId: string): Promise<void>;
  /** Points the production alias at a READY deployment, starting it first if it was stopped. */
  promote(projectId: string, deploymentId: string): Promise<void>;
  /** Stops a running build or instance of a canceled deployment. */
  cancel(deploymentId: string): Promise<void>;
}
