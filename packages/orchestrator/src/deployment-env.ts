import type { SecretBox } from '@helixstack/api';
import { type Database, envVars } from '@helixstack/db';
import { eq } from 'drizzle-orm';
import type { DeploymentRecord } from './deployment-record.ts';

/**
 * The variables a deployment's build and process see: its environment's variables,
 * then the overrides given at deploy time, then HELIX_* facts about the deployment.
 * Values leave the secrets store only here, into the process environment.
 */
export async function deploymentEnv(
  db: Database,
  secretBox: SecretBox,
  record: DeploymentRecord,
  urls: { deployment: string },
): Promise<Record<string, string>> {
  const rows = await db.select().from(envVars).where(eq(envVars.environmentId, record.environment.id));
  const env: Record<string, string> = {};
  for (const row of rows) env[row.key] = secretBox.open(row.valueSealed);
  if (record.deployment.envOverridesSealed) {
    Object.assign(
      env,
      JSON.parse(secretBox.open(record.deployment.envOverridesSealed)) as Record<string, string>,
    );
  }
  return {
    ...env,
    HELIX: '1',
    HELIX_DEPLOYMENT_ID: record.deployment.id,
    HELIX_PROJECT: record.project.name,
    HELIX_ENVIRONMENT: record.environment.name,
    HELIX_URL: urls.deployment,
    ...(record.deployment.branch ? { HELIX_GIT_BRANCH: record.deployment.branch } : {}),
  };
}
