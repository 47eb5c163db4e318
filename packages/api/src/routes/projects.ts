import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Database, environments, hostLabels, newId, projects } from '@helixstack/db';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { uniquely } from '../db-errors.ts';
import { findProject } from '../lookup.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import type { Hostnames } from '../platform.ts';
import { Body, ListQuery, Name, Page, ProjectParams, Timestamp } from '../schemas.ts';
import { labelUrl } from '../urls.ts';

const Project = Type.Object({
  id: Type.String(),
  name: Type.String(),
  productionDeploymentId: Type.Union([Type.String(), Type.Null()]),
  urls: Type.Object({ production: Type.String() }),
  createdAt: Timestamp,
});

/** The production alias of each project, read in one query for a page of projects. */
async function productionTargets(db: Database, projectIds: string[]): Promise<Map<string, string | null>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db
    .select({ projectId: hostLabels.projectId, deploymentId: hostLabels.deploymentId })
    .from(hostLabels)
    .where(and(inArray(hostLabels.projectId, projectIds), eq(hostLabels.kind, 'production')));
  return new Map(rows.map((row) => [row.projectId, row.deploymentId]));
}

function presenter(hostnames: Hostnames, targets: Map<string, string | null>) {
  return (project: typeof projects.$inferSelect) => ({
    id: project.id,
    name: project.name,
    productionDeploymentId: targets.get(project.id) ?? null,
    urls: { production: labelUrl(project.name, hostnames) },
    createdAt: project.createdAt.toISOString(),
  });
}

/** Every project starts with the three standard environments. */
const standardEnvironments = ['production', 'preview', 'development'] as const;

export const projectRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db, platform }) => {
  const present = async (rows: (typeof projects.$inferSelect)[]) =>
    presenter(
      platform.hostnames,
      await productionTargets(
        db,
        rows.map((row) => row.id),
      ),
    );

  app.get(
    '/projects',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Projects of the organization.',
        tags: ['projects'],
        querystring: ListQuery,
        response: { 200: Page(Project) },
      },
    },
    async (request) => {
      const { limit = 20, cursor } = request.query;
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(projects)
        .where(
          and(eq(projects.orgId, principalOf(request).orgId), after ? gt(projects.id, after) : undefined),
        )
        .orderBy(asc(projects.id))
        .limit(limit + 1);
      return toPage(rows, limit, await present(rows));
    },
  );

  app.post(
    '/projects',
    {
      config: { access: 'developer' },
      schema: {
        summary:
          'Creates a project with production, preview and development environments. Names are unique across the installation because they become hostnames.',
        tags: ['projects'],
        body: Body({ name: Name }),
        response: { 201: Project },
      },
    },
    async (request, reply) => {
      const orgId = principalOf(request).orgId;
      const project = await db.transaction(async (tx) => {
        const [created] = await uniquely(`Project "${request.body.name}"`, () =>
          tx
            .insert(projects)
            .values({ id: newId('prj'), orgId, name: request.body.name })
            .returning(),
        );
        // The production alias takes the project's name as its hostname label, or the project is refused.
        await uniquely(`The hostname ${request.body.name}.${platform.hostnames.baseDomain}`, () =>
          tx.insert(hostLabels).values({ label: created!.name, projectId: created!.id, kind: 'production' }),
        );
        await tx.insert(environments).values(
          standardEnvironments.map((kind) => ({
            id: newId('env'),
            projectId: created!.id,
            name: kind,
            kind,
          })),
        );
        return created!;
      });
      await recordAudit(
        db,
        request,
        'project.create',
        { type: 'project', id: project.id },
        { name: project.name },
      );
      return reply.status(201).send((await present([project]))(project));
    },
  );

  app.get(
    '/projects/:project',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'A project by id or name.',
        tags: ['projects'],
        params: ProjectParams,
        response: { 200: Project },
      },
    },
    async (request) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      return (await present([project]))(project);
    },
  );

  app.delete(
    '/projects/:project',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Deletes a project with its environments, variables, deployments and domains.',
        tags: ['projects'],
        params: ProjectParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      await db.delete(projects).where(eq(projects.id, project.id));
      await recordAudit(
        db,
        request,
        'project.delete',
        { type: 'project', id: project.id },
        { name: project.name },
      );
      return reply.status(204).send(null);
    },
  );
};
