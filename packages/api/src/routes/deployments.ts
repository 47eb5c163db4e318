import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canTransition, deploymentStates } from '@helixstack/core';
import { deployments, environments, hostLabels, newId } from '@helixstack/db';
import { deploymentHost } from '@helixstack/router';
import { HelixError, isEnvKey, maxEnvValueBytes } from '@helixstack/sdk';
import { parseGitSource, planUpload } from '@helixstack/source';
import { and, desc, eq, lt } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { uniquely } from '../db-errors.ts';
import {
  Deployment,
  findDeployment,
  presentDeployment,
  productionOf,
  selectDeployments,
} from '../deployment-view.ts';
import { findEnvironment, findProject } from '../lookup.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { Body, Id, ListQuery, Name, Page, ProjectParams } from '../schemas.ts';

const UploadSource = Type.Object(
  {
    type: Type.Literal('upload'),
    files: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 100_000 }),
  },
  { additionalProperties: false },
);
const GitSource = Type.Object(
  {
    type: Type.Literal('git'),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    ref: Type.String({ minLength: 1, maxLength: 255 }),
  },
  { additionalProperties: false },
);
const DeploymentParams = Type.Object({ deployment: Id });

function validateOverrides(env: Record<string, string>): void {
  for (const [key, value] of Object.entries(env)) {
    if (!isEnvKey(key))
      throw new HelixError('HLX_INVALID_ENV_KEY', `"${key}" must match [A-Za-z_][A-Za-z0-9_]*.`, {
        field: 'env',
      });
    if (Buffer.byteLength(value) > maxEnvValueBytes)
      throw new HelixError('HLX_VALUE_TOO_LARGE', undefined, { field: 'env' });
  }
}

export const deploymentRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (
  app,
  { db, platform, secretBox },
) => {
  app.get(
    '/projects/:project/deployments',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "A project's deployments, newest first.",
        tags: ['deployments'],
        params: ProjectParams,
        querystring: Type.Object(
          {
            ...ListQuery.properties,
            environment: Type.Optional(Name),
            state: Type.Optional(Type.Enum(deploymentStates)),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(Deployment) },
      },
    },
    async (request) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const { limit = 20, cursor, environment, state } = request.query;
      const before = decodeCursor(cursor);
      const rows = await selectDeployments(db)
        .where(
          and(
            eq(deployments.projectId, project.id),
            environment ? eq(environments.name, environment) : undefined,
            state ? eq(deployments.state, state) : undefined,
            before ? lt(deployments.id, before) : undefined,
          ),
        )
        .orderBy(desc(deployments.id))
        .limit(limit + 1);
      const production = await productionOf(db, project.id);
      return toPage(
        rows.map((row) => ({ ...row, id: row.deployment.id })),
        limit,
        (row) => presentDeployment(row, platform.hostnames, production),
      );
    },
  );

  app.post(
    '/projects/:project/deployments',
    {
      config: { access: 'developer' },
      schema: {
        summary:
          'Creates a deployment from an uploaded manifest or a git URL and ref, and queues its build (preview unless told otherwise).',
        tags: ['deployments'],
        params: ProjectParams,
        body: Body({
          environment: Type.Optional(Name),
          source: Type.Union([UploadSource, GitSource]),
          env: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Type.String())),
          branch: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
          meta: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1000 }))),
        }),
        response: { 201: Deployment },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const project = await findProject(db, principal.orgId, request.params.project);
      const environment = await findEnvironment(db, project.id, request.body.environment ?? 'preview');
      const overrides = request.body.env ?? {};
      validateOverrides(overrides);
      const body = request.body.source;
      let source: Record<string, unknown>;
      if (body.type === 'upload') {
        const plan = await planUpload(platform.blobs(principal.orgId), body.files, platform.uploadLimits);
        if (plan.missing.length > 0) {
          throw new HelixError(
            'HLX_SOURCE_INCOMPLETE',
            `${plan.missing.length} blob(s) are missing; upload them first.`,
            {
              missing: plan.missing.slice(0, 100),
            },
          );
        }
        await platform.saveManifest(principal.orgId, plan.digest, plan.files);
        source = { type: 'upload', digest: plan.digest, files: plan.files.length };
      } else {
        const git = parseGitSource(
          { url: body.url, ref: body.ref },
          { allowLocal: platform.allowLocalSources },
        );
        source = { type: 'git', url: git.url, ref: git.ref };
      }
      const id = newId('dpl');
      const label = deploymentHost(project.name, id, 'x').slice(0, -2);
      const [deployment] = await uniquely('A hostname for this deployment', () =>
        db.transaction(async (tx) => {
          const created = await tx
            .insert(deployments)
            .values({
              id,
              projectId: project.id,
              environmentId: environment.id,
              source,
              meta: request.body.meta ?? {},
              branch: request.body.branch ?? null,
              envOverridesSealed: Object.keys(overrides).length
                ? secretBox.seal(JSON.stringify(overrides))
                : null,
              createdBy: principal.userId,
            })
            .returning();
          await tx
            .insert(hostLabels)
            .values({ label, projectId: project.id, kind: 'deployment', deploymentId: id });
          return created;
        }),
      );
      await platform.logs.append(id, [
        { source: 'system', stream: 'system', text: `Deployment queued (${environment.name}).` },
      ]);
      await platform.enqueueBuild(id, project.id, environment.id);
      await recordAudit(
        db,
        request,
        'deployment.create',
        { type: 'deployment', id },
        {
          project: project.name,
          environment: environment.name,
          source: body.type,
          overrides: Object.keys(overrides),
        },
      );
      return reply
        .status(201)
        .send(
          presentDeployment(
            { deployment: deployment!, project: project.name, environment: environment.name },
            platform.hostnames,
          ),
        );
    },
  );

  app.get(
    '/deployments/:deployment',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'One deployment.',
        tags: ['deployments'],
        params: DeploymentParams,
        response: { 200: Deployment },
      },
    },
    async (request) => {
      const row = await findDeployment(db, principalOf(request).orgId, request.params.deployment);
      return presentDeployment(row, platform.hostnames, await productionOf(db, row.deployment.projectId));
    },
  );

  app.post(
    '/deployments/:deployment/cancel',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Cancels a deployment that has not finished; a finished one answers 409.',
        tags: ['deployments'],
        params: DeploymentParams,
        response: { 200: Deployment },
      },
    },
    async (request) => {
      const row = await findDeployment(db, principalOf(request).orgId, request.params.deployment);
      if (!canTransition(row.deployment.state, 'CANCELED')) {
        throw new HelixError(
          'HLX_INVALID_STATE',
          `The deployment is ${row.deployment.state} and cannot be canceled.`,
        );
      }
      const [deployment] = await db
        .update(deployments)
        .set({ state: 'CANCELED', updatedAt: new Date() })
        .where(and(eq(deployments.id, row.deployment.id), eq(deployments.state, row.deployment.state)))
        .returning();
      if (!deployment) throw new HelixError('HLX_INVALID_STATE', 'The deployment changed state; try again.');
      await platform.logs.append(deployment.id, [
        { source: 'system', stream: 'system', text: 'Deployment canceled.' },
      ]);
      await platform.cancel(deployment.id);
      await recordAudit(db, request, 'deployment.cancel', { type: 'deployment', id: deployment.id });
      return presentDeployment({ ...row, deployment }, platform.hostnames);
    },
  );
};
