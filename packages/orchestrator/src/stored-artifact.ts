import type { Artifact, HealthCheck, RuntimeHandle } from '@helixstack/sdk';

/** What the deployments table keeps about a built artifact: the artifact and how to check it. */
export type StoredArtifact = Artifact & { healthCheck: HealthCheck };

export function storedArtifact(value: Record<string, unknown> | null): StoredArtifact | undefined {
  return value ? (value as unknown as StoredArtifact) : undefined;
}

export function storedHandle(value: Record<string, unknown> | null): RuntimeHandle | undefined {
  return value ? (value as unknown as RuntimeHandle) : undefined;
}
