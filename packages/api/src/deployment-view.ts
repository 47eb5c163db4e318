import { deploymentStates } from '@helixstack/core';
import { type Database, deployments, environments, hostLabels, projects } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { redactUrl } from '@helixstack/source';
import { and, eq } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Hostnames } from './platform.ts';
import { NullableTimestamp, Timestamp } from './schemas.ts';
import { branchUrl, deploymentUrl, labelUrl } from './urls.ts';

export const Deployment = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  project: Type.String(),
  environment: Type.String(),
  state: Type.Enum(deploymentStates),
  url: Type.String({ description: 'The immutable URL of this deployment.' }),
  urls: Type.Object({
    deployment: Type.String(),
    branch: Type.Optional(Type.String()),
    production: Type.Optional(
      Type.String({ description: 'Present while this deployment serves production.' }),
    ),
  }),
  branch: Type.Union([Type.String(), Type.Null()]),
  source: Type.Record(Type.String(), Type.Unknown()),
  meta: Type.Record(Type.String(), Type.String()),
  plan: Type.Optional(Type.Object({ builder: Type.String(), summary: Type.String() })),
  artifact: Type.Optional(Type.Object({ kind: Type.String(), digest: Type.String() })),
  instance: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  errorMessage: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  readyAt: NullableTimestamp,
});

export type DeploymentRow = {
  deployment: typeof deployments.$inferSelect;
  project: string;
  environment: string;
};

export function selectDeployments(db: Database) {
  return db
    .select({ deployment: deployments, project: projects.name, environment: environments.name })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId));
}

export async function findDeployment(db: Database, orgId: string, id: string): Promise<DeploymentRow> {
  const [row] = await selectDeployments(db).where(and(eq(deployments.id, id), eq(projects.orgId, orgId)));
  if (!row) throw new HelixError('HLX_NOT_FOUND', `No deployment "${id}".`);
  return row;
}

/** The deployment the production alias of a project points at, if any. */
export async function productionOf(
  db: Database,
  projectId: string,
): Promise<{ label: string; deploymentId: string | null; previousDeploymentId: string | null } | undefined> {
  const [label] = await db
    .select({
      label: hostLabels.label,
      deploymentId: hostLabels.deploymentId,
      previousDeploymentId: hostLabels.previousDeploymentId,
    })
    .from(hostLabels)
    .where(and(eq(hostLabels.projectId, projectId), eq(hostLabels.kind, 'production')));
  return label;
}

function presentSource(source: Record<string, unknown>): Record<string, unknown> {
  return typeof source.url === 'string' ? { ...source, url: redactUrl(source.url) } : source;
}

export function presentDeployment(
  row: DeploymentRow,
  hostnames: Hostnames,
  production?: { label: string; deploymentId: string | null },
) {
  const { deployment, project, environment } = row;
  const plan = deployment.plan as { builder?: string; summary?: string } | null;
  const artifact = deployment.artifact as { kind?: string; digest?: string } | null;
  const url = deploymentUrl(project, deployment.id, hostnames);
  return {
    id: deployment.id,
    projectId: deployment.projectId,
    project,
    environment,
    state: deployment.state,
    url,
    urls: {
      deployment: url,
      ...(deployment.branch ? { branch: branchUrl(project, deployment.branch, hostnames) } : {}),
      ...(production?.deploymentId === deployment.id
        ? { production: labelUrl(production.label, hostnames) }
        : {}),
    },
    branch: deployment.branch,
    source: presentSource(deployment.source),
    meta: deployment.meta,
    ...(plan?.builder ? { plan: { builder: plan.builder, summary: plan.summary ?? '' } } : {}),
    ...(artifact?.kind ? { artifact: { kind: artifact.kind, digest: artifact.digest ?? '' } } : {}),
    ...(deployment.instance ? { instance: deployment.instance } : {}),
    errorMessage: deployment.errorMessage,
    createdBy: deployment.createdBy,
    createdAt: deployment.createdAt.toISOString(),
    updatedAt: deployment.updatedAt.toISOString(),
    readyAt: deployment.readyAt?.toISOString() ?? null,
  };
}
