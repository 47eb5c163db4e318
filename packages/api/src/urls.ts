import { branchLabel, deploymentHost } from '@helixstack/router';
import type { Hostnames } from './platform.ts';

function url(host: string, hostnames: Hostnames): string {
  return hostnames.routerPort === 80 ? `http://${host}` : `http://${host}:${hostnames.routerPort}`;
}

export function labelUrl(label: string, hostnames: Hostnames): string {
  return url(`${label}.${hostnames.baseDomain}`, hostnames);
}

export function deploymentUrl(project: string, deploymentId: string, hostnames: Hostnames): string {
  return url(deploymentHost(project, deploymentId, hostnames.baseDomain), hostnames);
}

export function branchUrl(project: string, branch: string, hostnames: Hostnames): string {
  return labelUrl(branchLabel(project, branch), hostnames);
}
