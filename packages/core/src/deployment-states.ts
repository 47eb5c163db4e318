/**
 * The one place that says how a deployment moves. QUEUED -> BUILDING -> DEPLOYING -> READY
 * is the happy path; ERROR and CANCELED are final, and so is READY (a newer deployment
 * replaces it, it never changes).
 */
export const deploymentStates = ['QUEUED', 'BUILDING', 'DEPLOYING', 'READY', 'ERROR', 'CANCELED'] as const;
export type DeploymentState = (typeof deploymentStates)[number];

const transitions: Record<DeploymentState, readonly DeploymentState[]> = {
  QUEUED: ['BUILDING', 'ERROR', 'CANCELED'],
  BUILDING: ['DEPLOYING', 'ERROR', 'CANCELED'],
  DEPLOYING: ['READY', 'ERROR', 'CANCELED'],
  READY: [],
  ERROR: [],
  CANCELED: [],
};

export function canTransition(from: DeploymentState, to: DeploymentState): boolean {
  return transitions[from].includes(to);
}

export function isFinal(state: DeploymentState): boolean {
  return transitions[state].length === 0;
}
