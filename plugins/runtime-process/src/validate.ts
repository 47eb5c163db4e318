import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { type Artifact, type DeploySpec, HelixError } from '@helixstack/sdk';

function invalid(message: string): HelixError {
  return new HelixError('HLX_RUNTIME_ARTIFACT_INVALID', message);
}

/** Refuses what could never run before anything is started, with the reason. */
export async function checkDeployable(artifact: Artifact, spec: DeploySpec): Promise<void> {
  if (artifact.kind !== 'process-bundle') {
    throw invalid(`runtime-process runs process bundles, not ${artifact.kind} artifacts.`);
  }
  const command = artifact.start?.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((arg) => typeof arg === 'string')) {
    throw invalid('The process bundle has no start command; rebuild the deployment.');
  }
  if (!isAbsolute(artifact.ref) || !(await stat(artifact.ref).catch(() => undefined))?.isDirectory()) {
    throw invalid(`The process bundle directory ${artifact.ref} is missing; rebuild the deployment.`);
  }
  if (typeof spec.deploymentId !== 'string' || spec.deploymentId === '') {
    throw new HelixError('HLX_VALIDATION', 'A deployment needs a deployment id.');
  }
  if (!spec.healthCheck.path.startsWith('/')) {
    throw new HelixError('HLX_VALIDATION', 'The health check path must start with "/".');
  }
}
