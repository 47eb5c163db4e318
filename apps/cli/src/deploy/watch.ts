import { type DeploymentState, followLogsResuming, type HelixClient, isFinalState } from '@helixstack/client';
import { asLine } from '../format.ts';
import type { Io } from '../output.ts';

const stateLines: Record<DeploymentState, string> = {
  QUEUED: 'Queued: waiting for a build worker…',
  BUILDING: 'Building…',
  DEPLOYING: 'Deploying…',
  READY: 'Ready.',
  ERROR: 'Failed.',
  CANCELED: 'Canceled.',
};

/**
 * Prints a deployment's build and system log to stderr as it arrives, like a terminal build,
 * with one status line per state, until the deployment is READY, ERROR or CANCELED. The app's
 * own runtime output is left to "helix logs". A dropped stream resumes where it stopped.
 */
export async function watchDeployment(client: HelixClient, deploymentId: string, io: Io): Promise<void> {
  let shown: DeploymentState | undefined;
  let final: DeploymentState | undefined;
  const events = followLogsResuming(client, deploymentId, {
    follow: true,
    until: 'final',
    onReconnect: (error) => io.err(`Log stream interrupted (${error.message}); reconnecting…\n`),
  });
  for await (const event of events) {
    if (event.type === 'state' && isFinalState(event.state)) {
      // The server may send the final state before the last lines: say it after them.
      final = event.state;
    } else if (event.type === 'state' && event.state !== shown) {
      shown = event.state;
      io.err(`${stateLines[event.state] ?? event.state}\n`);
    } else if (event.type === 'log' && event.source !== 'runtime') {
      io.err(asLine(event.text));
    }
  }
  if (final) io.err(`${stateLines[final]}\n`);
}
