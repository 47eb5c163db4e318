import type { Deployment, DeploymentInstance } from '@helixstack/client';
import { formatAge } from '../format.ts';
import { formatDate } from '../output.ts';

function when(iso: string | null | undefined, now: number): string {
  return iso ? `${formatDate(iso)} (${formatAge(iso, now)} ago)` : '-';
}

/** "crash-loop, unhealthy, 4 restarts, next restart in 20s (2025-…): exited with code 1" */
export function describeInstance(instance: DeploymentInstance, now: number): string {
  const parts: string[] = [instance.state, instance.healthy ? 'healthy' : 'unhealthy'];
  parts.push(`${instance.restarts} ${instance.restarts === 1 ? 'restart' : 'restarts'}`);
  if (instance.nextRestartAt) {
    const seconds = Math.max(0, Math.round((Date.parse(instance.nextRestartAt) - now) / 1000));
    parts.push(`next restart in ${seconds}s (${formatDate(instance.nextRestartAt)})`);
  }
  const summary = parts.join(', ');
  return instance.message ? `${summary}: ${instance.message}` : summary;
}

/** The rows of "helix inspect": every field a person looks for, missing ones left out. */
export function describeDeployment(deployment: Deployment, now: number): string {
  const rows: [string, string | null | undefined][] = [
    ['id', deployment.id],
    ['project', deployment.project],
    ['environment', deployment.environment],
    ['state', deployment.state],
    ['error', deployment.errorMessage],
    ['url', deployment.url],
    ['branch url', deployment.urls.branch],
    ['production url', deployment.urls.production],
    ['branch', deployment.branch],
    ['source', typeof deployment.source.type === 'string' ? deployment.source.type : undefined],
    ['builder', deployment.plan ? `${deployment.plan.builder}: ${deployment.plan.summary}` : undefined],
    [
      'artifact',
      deployment.artifact ? `${deployment.artifact.kind} ${deployment.artifact.digest}` : undefined,
    ],
    ['instance', deployment.instance ? describeInstance(deployment.instance, now) : undefined],
    ['created', when(deployment.createdAt, now)],
    ['ready', deployment.readyAt ? when(deployment.readyAt, now) : undefined],
  ];
  for (const [key, value] of Object.entries(deployment.meta)) rows.push([`meta.${key}`, value]);
  const shown = rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}
