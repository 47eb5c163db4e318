import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { domains, environments, newId } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';
import { and, asc, eq, gt } from 'drizzle-orm';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { uniquely } from '../db-errors.ts';
import { findEnvironment, findProject } from '../lookup.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { Body, Id, ListQuery, Name, Page, ProjectParams, Timestamp } from '../schemas.ts';

/** A fully qualified hostname: DNS labels joined by dots, at most 253 characters. */
const Hostname = Type.String({
  maxLength: 253,
  pattern: '^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$',
});
const Domain = Type.Object({
  id: Type.String(),
  hostname: Type.String(),
  environment: Type.String(),
  createdAt: Timestamp,
});
const presentDomain = ({
  domain,
  environment,
}: {
  domain: typeof domains.$inferSelect;
  environment: string;
}) => ({
  id: domain.id,
  hostname: domain.hostname,
  environment,
  createdAt: domain.createdAt.toISOString(),
});

export const domainRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db }) => {
  app.get(
    '/projects/:project/domains',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "A project's custom domains.",
        tags: ['domains'],
        params: ProjectParams,
        querystring: ListQuery,
        response: { 200: Page(Domain) },
      },
    },
    async (request) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const { limit = 20, cursor } = request.query;
      const after = decodeCursor(cursor);
      const rows = await db
        .select({ domain: domains, environment: environments.name })
        .from(domains)
        .innerJoin(environments, eq(environments.id, domains.environmentId))
        .where(and(eq(domains.projectId, project.id), after ? gt(domains.id, after) : undefined))
        .orderBy(asc(domains.id))
        .limit(limit + 1);
      return toPage(
        rows.map((row) => ({ ...row, id: row.domain.id })),
        limit,
        presentDomain,
      );
    },
  );

  app.post(
    '/projects/:project/domains',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Attaches a hostname to an environment of the project (production unless told otherwise).',
        tags: ['domains'],
        params: ProjectParams,
        body: Body({ hostname: Hostname, environment: Type.Optional(Name) }),
        response: { 201: Domain },
      },
    },
    async (request, reply) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const environment = await findEnvironment(db, project.id, request.body.environment ?? 'production');
      const [domain] = await uniquely(`Domain "${request.body.hostname}"`, () =>
        db
          .insert(domains)
          .values({
            id: newId('dom'),
            projectId: project.id,
            environmentId: environment.id,
            hostname: request.body.hostname,
          })
          .returning(),
      );
      await recordAudit(
        db,
        request,
        'domain.create',
        { type: 'domain', id: domain!.id },
        {
          project: project.name,
          hostname: domain!.hostname,
        },
      );
      return reply.status(201).send(presentDomain({ domain: domain!, environment: environment.name }));
    },
  );

  app.delete(
    '/projects/:project/domains/:domain',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Detaches a domain.',
        tags: ['domains'],
        params: Type.Object({ ...ProjectParams.properties, domain: Id }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const project = await findProject(db, principalOf(request).orgId, request.params.project);
      const [domain] = await db
        .delete(domains)
        .where(and(eq(domains.projectId, project.id), eq(domains.id, request.params.domain)))
        .returning();
      if (!domain) throw new HelixError('HLX_NOT_FOUND', 'No such domain.');
      await recordAudit(
        db,
        request,
        'domain.delete',
        { type: 'domain', id: domain.id },
        { hostname: domain.hostname },
      );
      return reply.status(204).send(null);
    },
  );
};
