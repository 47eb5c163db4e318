import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canTransition, deploymentStates } from '@helixstack/core';
import { type Database, deployments, environments, newId, projects } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, desc, eq, lt } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { findEnvironment, findProject } from '../lookup.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { Body, Id, ListQuery, Name, NullableTimestamp, Page, ProjectParams, Timestamp } from '../schemas.ts';

const State = Type.Enum(deploymentStates);
const Deployment = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  project: Type.String(),
  environment: Type.String(),
  state: State,
  source: Type.Record(Type.String(), Type.Unknown()),
  meta: Type.Record(Type.String(), Type.String()),
  errorMessage: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  readyAt: NullableTimestamp,
});

type Row = { deployment: typeof deployments.$inferSelect; project: string; environment: string };
const presentDeployment = ({ deployment, project, environment }: Row) => ({
  id: deployment.id,
  projectId: deployment.projectId,
  project,
  environment,
  state: deployment.state,
  source: deployment.source,
  meta: deployment.meta,
  errorMessage: deployment.errorMessage,
  createdBy: deployment.createdBy,
  createdAt: deployment.createdAt.toISOString(),
  updatedAt: deployment.updatedAt.toISOString(),
  readyAt: deployment.readyAt?.toISOString() ?? null,
});

function selectDeployments(db: Database) {
  return db
    .select({ deployment: deployments, project: projects.name, environment: environments.name })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId));
}

async function findDeployment(db: Database, orgId: string, id: string): Promise<Row> {
  const [row] = await selectDeployments(db).where(and(eq(deployments.id, id), eq(projects.orgId, orgId)));
  if (!row) throw new HelixError('HLX_NOT_FOUND', `No deployment "${id}".`);
  return row;
}

const DeploymentParams = Type.Object({ deployment: Id });

export const deploymentRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db }) => {
  app.get(
    '/projects/:project/deployments',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "A project's deployments, newest first.",
        tags: ['deployments'],
        params: ProjectParams,
        querystring: Type.Object(
          { ...ListQuery.properties, environment: Type.Optional(Name), state: Type.Optional(State) },
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
      return toPage(
        rows.map((row) => ({ ...row, id: row.deployment.id })),
        limit,
        presentDeployment,
      );
    },
  );

  app.post(
    '/projects/:project/deployments',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Records a new deployment in the QUEUED state (preview environment unless told otherwise).',
        tags: ['deployments'],
        params: ProjectParams,
        body: Body({
          environment: Type.Optional(Name),
          source: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          meta: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1000 }))),
        }),
        response: { 201: Deployment },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const project = await findProject(db, principal.orgId, request.params.project);
      const environment = await findEnvironment(db, project.id, request.body.environment ?? 'preview');
      const [deployment] = await db
        .insert(deployments)
        .values({
          id: newId('dpl'),
          projectId: project.id,
          environmentId: environment.id,
          source: request.body.source ?? {},
          meta: request.body.meta ?? {},
          createdBy: principal.userId,
        })
        .returning();
      await recordAudit(
        db,
        request,
        'deployment.create',
        { type: 'deployment', id: deployment!.id },
        {
          project: project.name,
          environment: environment.name,
        },
      );
      return reply.status(201).send(
        presentDeployment({
          deployment: deployment!,
          project: project.name,
          environment: environment.name,
        }),
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
    async (request) =>
      presentDeployment(await findDeployment(db, principalOf(request).orgId, request.params.deployment)),
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
      await recordAudit(db, request, 'deployment.cancel', { type: 'deployment', id: deployment.id });
      return presentDeployment({ ...row, deployment });
    },
  );
};
