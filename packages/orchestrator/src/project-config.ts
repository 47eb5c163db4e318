import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HealthCheck } from '@helixstack/sdk';

export const defaultHealthCheck: HealthCheck = { path: '/', deadlineMs: 60_000, intervalMs: 250 };

/**
 * Settings an app carries in `helix.json` at its root:
 * `{ "healthCheck": { "path": "/health", "timeoutSeconds": 30 } }`. Absent or partial
 * settings fall back to the defaults; a malformed file is reported, not guessed at.
 */
export async function readHealthCheck(
  sourceDir: string,
  fallback = defaultHealthCheck,
): Promise<HealthCheck> {
  let text: string;
  try {
    text = await readFile(join(sourceDir, 'helix.json'), 'utf8');
  } catch {
    return fallback;
  }
  const config = JSON.parse(text) as { healthCheck?: { path?: unknown; timeoutSeconds?: unknown } };
  const path = config.healthCheck?.path;
  const timeout = config.healthCheck?.timeoutSeconds;
  return {
    path: typeof path === 'string' && path.startsWith('/') ? path : fallback.path,
    deadlineMs:
      typeof timeout === 'number' && timeout > 0 && timeout <= 600 ? timeout * 1000 : fallback.deadlineMs,
    intervalMs: fallback.intervalMs,
  };
}
