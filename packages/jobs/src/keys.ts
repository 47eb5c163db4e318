/**
 * The concurrency key that allows one build at a time per project environment: a second
 * deploy to the same environment waits for the first, while other environments (previews)
 * and other projects build in parallel.
 */
export function projectEnvironmentKey(projectId: string, environmentId: string): string {
  return `${projectId}:${environmentId}`;
}
