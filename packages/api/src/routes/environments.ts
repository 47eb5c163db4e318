import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { environmentKinds, environments, newId } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, asc, eq, gt } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { uniquely } from '../db-errors.ts';
import { findEnvironment, findProject } from '../lookup.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { Body, ListQuery, Name, Page, ProjectParams, Timestamp } from '../schemas.ts';

const Environment = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Enum(environmentKinds),
  createdAt: Timestamp,
});
const presentEnvironment = (environment: typeof environments.$inferSelect) => ({
  id: environment.id,
  name: environment.name,
  kind: environment.kind,
  createdAt: environment.createdAt.toISOString(),
});

export const environmentRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db }) => {
  app.get(
    '/projects/:project/environments',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "A project's environments.",
        tags: ['environments'],
        params: ProjectParams,
        querystring: ListQuery,
        response: { 200: Page(Environment) },
      },
    },
    async (request) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const { limit = 20, cursor } = request.query;
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(environments)
        .where(and(eq(environments.projectId, project.id), after ? gt(environments.id, after) : undefined))
        .orderBy(asc(environments.id))
        .limit(limit + 1);
      return toPage(rows, limit, presentEnvironment);
    },
  );

  app.post(
    '/projects/:project/environments',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Adds a custom environment (for example staging).',
        tags: ['environments'],
        params: ProjectParams,
        body: Body({ name: Name }),
        response: { 201: Environment },
      },
    },
    async (request, reply) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const [environment] = await uniquely(`Environment "${request.body.name}"`, () =>
        db
          .insert(environments)
          .values({ id: newId('env'), projectId: project.id, name: request.body.name, kind: 'custom' })
          .returning(),
      );
      await recordAudit(
        db,
        request,
        'environment.create',
        { type: 'environment', id: environment!.id },
        {
          project: project.name,
          name: environment!.name,
        },
      );
      return reply.status(201).send(presentEnvironment(environment!));
    },
  );

  app.delete(
    '/projects/:project/environments/:environment',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Deletes a custom environment; the standard three cannot be deleted.',
        tags: ['environments'],
        params: Type.Object({
          ...ProjectParams.properties,
          environment: Type.String({ minLength: 1, maxLength: 64 }),
        }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const environment = await findEnvironment(db, project.id, request.params.environment);
      if (environment.kind !== 'custom') {
        throw new HelixError(
          'HLX_INVALID_STATE',
          `The ${environment.name} environment is standard and cannot be deleted.`,
        );
      }
      await db.delete(environments).where(eq(environments.id, environment.id));
      await recordAudit(
        db,
        request,
        'environment.delete',
        { type: 'environment', id: environment.id },
        {
          project: project.name,
          name: environment.name,
        },
      );
      return reply.status(204).send(null);
    },
  );
};
