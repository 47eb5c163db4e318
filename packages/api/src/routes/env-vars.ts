import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { environments, envVars, newId } from '@helixstack/db';
import { HelixError, maxEnvValueBytes } from '@helixstack/sdk';
import { and, asc, eq, gt } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { findEnvironment, findProject } from '../lookup.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { Body, EnvKey, EnvValue, Id, ListQuery, Name, Page, ProjectParams, Timestamp } from '../schemas.ts';
import type { SecretBox } from '../secret-box.ts';

const EnvVar = Type.Object({
  id: Type.String(),
  key: Type.String(),
  environment: Type.String(),
  sensitive: Type.Boolean(),
  value: Type.Optional(
    Type.String({ description: 'Absent when the variable is sensitive: it is write-only.' }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** A sensitive value is write-only: it leaves only into the environment of the app. */
function presenter(secretBox: SecretBox) {
  return ({ envVar, environment }: { envVar: typeof envVars.$inferSelect; environment: string }) => ({
    id: envVar.id,
    key: envVar.key,
    environment,
    sensitive: envVar.sensitive,
    ...(envVar.sensitive ? {} : { value: secretBox.open(envVar.valueSealed) }),
    createdAt: envVar.createdAt.toISOString(),
    updatedAt: envVar.updatedAt.toISOString(),
  });
}

export const envVarRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db, secretBox }) => {
  const present = presenter(secretBox);

  app.get(
    '/projects/:project/env',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          "A project's environment variables, optionally of one environment. Sensitive values are never returned.",
        tags: ['env'],
        params: ProjectParams,
        querystring: Type.Object(
          { ...ListQuery.properties, environment: Type.Optional(Name) },
          { additionalProperties: false },
        ),
        response: { 200: Page(EnvVar) },
      },
    },
    async (request) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const { limit = 20, cursor, environment: environmentName } = request.query;
      const environment = environmentName
        ? await findEnvironment(db, project.id, environmentName)
        : undefined;
      const after = decodeCursor(cursor);
      const rows = await db
        .select({ envVar: envVars, environment: environments.name })
        .from(envVars)
        .innerJoin(environments, eq(environments.id, envVars.environmentId))
        .where(
          and(
            eq(envVars.projectId, project.id),
            environment ? eq(envVars.environmentId, environment.id) : undefined,
            after ? gt(envVars.id, after) : undefined,
          ),
        )
        .orderBy(asc(envVars.id))
        .limit(limit + 1);
      return toPage(
        rows.map((row) => ({ ...row, id: row.envVar.id })),
        limit,
        present,
      );
    },
  );

  app.post(
    '/projects/:project/env',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Sets a variable in one environment: 201 when new, 200 when it replaced a value.',
        tags: ['env'],
        params: ProjectParams,
        body: Body({
          key: EnvKey,
          value: EnvValue,
          environment: Name,
          sensitive: Type.Optional(Type.Boolean()),
        }),
        response: { 200: EnvVar, 201: EnvVar },
      },
    },
    async (request, reply) => {
      const { key, value, sensitive = false } = request.body;
      if (Buffer.byteLength(value, 'utf8') > maxEnvValueBytes) {
        throw new HelixError('HLX_VALUE_TOO_LARGE', undefined, { field: 'value' });
      }
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const environment = await findEnvironment(db, project.id, request.body.environment);
      const [existing] = await db
        .select()
        .from(envVars)
        .where(and(eq(envVars.environmentId, environment.id), eq(envVars.key, key)));
      const valueSealed = secretBox.seal(value);
      const [envVar] = existing
        ? await db
            .update(envVars)
            .set({ valueSealed, sensitive, updatedAt: new Date() })
            .where(eq(envVars.id, existing.id))
            .returning()
        : await db
            .insert(envVars)
            .values({
              id: newId('var'),
              projectId: project.id,
              environmentId: environment.id,
              key,
              valueSealed,
              sensitive,
            })
            .returning();
      await recordAudit(
        db,
        request,
        existing ? 'env.update' : 'env.create',
        { type: 'env', id: envVar!.id },
        {
          project: project.name,
          environment: environment.name,
          key,
          sensitive,
        },
      );
      return reply
        .status(existing ? 200 : 201)
        .send(present({ envVar: envVar!, environment: environment.name }));
    },
  );

  app.delete(
    '/projects/:project/env/:envVarId',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Deletes a variable.',
        tags: ['env'],
        params: Type.Object({ ...ProjectParams.properties, envVarId: Id }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const [envVar] = await db
        .delete(envVars)
        .where(and(eq(envVars.id, request.params.envVarId), eq(envVars.projectId, project.id)))
        .returning();
      if (!envVar) throw new HelixError('HLX_NOT_FOUND', 'No such variable.');
      await recordAudit(
        db,
        request,
        'env.delete',
        { type: 'env', id: envVar.id },
        {
          project: project.name,
          key: envVar.key,
        },
      );
      return reply.status(204).send(null);
    },
  );
};
