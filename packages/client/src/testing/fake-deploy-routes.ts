import { createHash } from 'node:crypto';
import { HelixError, isEnvKey } from '@helixstack/sdk';
import type { Deployment, DeploymentState, SourceFileEntry } from '../deployment-types.ts';
import { type FakeDeployment, fakeBaseDomain } from './fake-deployments.ts';
import { followLogsAnswer } from './fake-logs.ts';
import { type FakeAnswer, type FakeRoute, page, projectOf, type RouteContext, text } from './fake-routes.ts';
import type { FakeState } from './fake-state.ts';

const digestPattern = /^[0-9a-f]{64}$/;

export function presentDeployment(
  state: FakeState,
  { lines: _lines, ...deployment }: FakeDeployment,
): Deployment {
  const project = state.findProject(deployment.projectId);
  if (project?.productionDeploymentId !== deployment.id) return deployment;
  return { ...deployment, urls: { ...deployment.urls, production: project.urls.production } };
}

function deploymentOf({ state, params }: RouteContext): FakeDeployment {
  const deployment = state.deployments.find(params.deployment ?? '');
  if (!deployment) throw new HelixError('HLX_NOT_FOUND', `No deployment "${params.deployment}".`);
  return deployment;
}

function manifestOf(body: Record<string, unknown>): SourceFileEntry[] {
  if (!Array.isArray(body.files)) throw new HelixError('HLX_MANIFEST_INVALID', 'files must be an array.');
  return body.files as SourceFileEntry[];
}

function missingBlobs(state: FakeState, files: SourceFileEntry[]): string[] {
  const digests = new Set(files.flatMap((file) => ('sha256' in file ? [file.sha256] : [])));
  return [...digests].filter((digest) => !state.blobs.has(digest));
}

function putBlob({ state, params, raw }: RouteContext): FakeAnswer {
  const digest = params.digest ?? '';
  if (!digestPattern.test(digest)) throw new HelixError('HLX_BLOB_DIGEST_INVALID');
  if (state.blobs.has(digest)) return { status: 200, body: { digest, stored: false } };
  if (createHash('sha256').update(raw).digest('hex') !== digest)
    throw new HelixError('HLX_BLOB_DIGEST_MISMATCH');
  state.blobs.set(digest, raw);
  return { status: 201, body: { digest, stored: true } };
}

function checkSource({ state, body }: RouteContext): FakeAnswer {
  const files = manifestOf(body);
  // The fake's source id is opaque: the real server names a source by its manifest digest.
  const digest = createHash('sha256').update(JSON.stringify(files)).digest('hex');
  return { status: 200, body: { digest, missing: missingBlobs(state, files) } };
}

function validSource(state: FakeState, source: unknown): Record<string, unknown> {
  const given = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  if (given.type === 'git') return { type: 'git', url: text(given, 'url'), ref: text(given, 'ref') };
  if (given.type !== 'upload') throw new HelixError('HLX_SOURCE_REQUIRED');
  const files = manifestOf(given);
  if (missingBlobs(state, files).length > 0) throw new HelixError('HLX_SOURCE_INCOMPLETE');
  return { type: 'upload', files: files.length };
}

function checkEnvOverrides(env: unknown): void {
  if (env === undefined) return;
  if (typeof env !== 'object' || env === null)
    throw new HelixError('HLX_VALIDATION', 'env must be an object.');
  for (const [key, value] of Object.entries(env)) {
    if (!isEnvKey(key)) throw new HelixError('HLX_INVALID_ENV_KEY');
    if (typeof value !== 'string') throw new HelixError('HLX_VALIDATION', `env.${key} must be a string.`);
  }
}

function createDeployment(context: RouteContext): FakeAnswer {
  const { state, body } = context;
  const project = projectOf(context);
  const environment = body.environment === undefined ? 'preview' : text(body, 'environment');
  if (!state.findEnvironment(project.id, environment)) {
    throw new HelixError('HLX_NOT_FOUND', `No environment "${environment}".`);
  }
  const source = validSource(state, body.source);
  checkEnvOverrides(body.env);
  const branch = body.branch === undefined ? null : text(body, 'branch');
  const id = state.nextId('dpl');
  const url = `http://${id.replace('_', '-')}-${project.name}.${fakeBaseDomain}`;
  const createdAt = state.now();
  const deployment: FakeDeployment = {
    id,
    projectId: project.id,
    project: project.name,
    environment,
    state: 'QUEUED',
    url,
    urls: {
      deployment: url,
      ...(branch ? { branch: `http://${project.name}-git-${branch}.${fakeBaseDomain}` } : {}),
    },
    branch,
    source,
    meta: (body.meta ?? {}) as Record<string, string>,
    errorMessage: null,
    createdBy: state.user.id,
    createdAt,
    updatedAt: createdAt,
    readyAt: null,
    lines: [],
  };
  state.deployments.add(deployment, project, () => state.now());
  return { status: 201, body: presentDeployment(state, deployment) };
}

function moveProduction(context: RouteContext, deploymentId: string): FakeAnswer {
  const project = projectOf(context);
  const deployment = context.state.deployments.find(deploymentId);
  if (!deployment || deployment.projectId !== project.id) {
    throw new HelixError('HLX_NOT_FOUND', `No deployment "${deploymentId}" in this project.`);
  }
  if (deployment.state !== 'READY') throw new HelixError('HLX_NOT_READY');
  project.productionDeploymentId = deployment.id;
  return { status: 200, body: { production: { deploymentId: deployment.id, url: project.urls.production } } };
}

/** The deploy loop of the API contract: blobs, sources, deployments, logs, promote and rollback. */
export function fakeDeployRoutes(maxPageSize: number): FakeRoute[] {
  return [
    { method: 'PUT', pattern: '/v1/blobs/:digest', handle: putBlob },
    { method: 'POST', pattern: '/v1/sources/check', handle: checkSource },
    { method: 'POST', pattern: '/v1/projects/:project/deployments', handle: createDeployment },
    {
      method: 'GET',
      pattern: '/v1/projects/:project/deployments',
      handle: (context) => {
        const project = projectOf(context);
        const environment = context.query.get('environment');
        const wanted = context.query.get('state') as DeploymentState | null;
        const own = context.state.deployments.all.filter(
          (d) =>
            d.projectId === project.id &&
            (environment === null || d.environment === environment) &&
            (wanted === null || d.state === wanted),
        );
        const newestFirst = own.reverse().map((d) => presentDeployment(context.state, d));
        return page(newestFirst, context.query, maxPageSize);
      },
    },
    {
      method: 'GET',
      pattern: '/v1/deployments/:deployment',
      handle: (context) => ({ status: 200, body: presentDeployment(context.state, deploymentOf(context)) }),
    },
    {
      method: 'GET',
      pattern: '/v1/deployments/:deployment/logs',
      handle: (context) => followLogsAnswer(context.state, deploymentOf(context), context.query),
    },
    {
      method: 'POST',
      pattern: '/v1/projects/:project/promote',
      handle: (context) => moveProduction(context, text(context.body, 'deployment')),
    },
    {
      method: 'POST',
      pattern: '/v1/projects/:project/rollback',
      handle: (context) => {
        if (context.body.deployment !== undefined)
          return moveProduction(context, text(context.body, 'deployment'));
        const previous = context.state.deployments.previousProduction(projectOf(context));
        if (!previous) throw new HelixError('HLX_NO_PREVIOUS');
        return moveProduction(context, previous.id);
      },
    },
  ];
}
