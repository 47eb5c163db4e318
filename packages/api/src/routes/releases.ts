import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HelixError } from '@helixstack/sdk';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { findDeployment, productionOf } from '../deployment-view.ts';
import { findProject } from '../lookup.ts';
import { Id, ProjectParams } from '../schemas.ts';
import { labelUrl } from '../urls.ts';

const Production = Type.Object({
  production: Type.Object({ deploymentId: Type.String(), url: Type.String() }),
});

export const releaseRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db, platform }) => {
  async function moveProduction(orgId: string, projectRef: string, deploymentId: string) {
    const project = await findProject(db, orgId, projectRef);
    const row = await findDeployment(db, orgId, deploymentId);
    if (row.deployment.projectId !== project.id)
      throw new HelixError('HLX_NOT_FOUND', `No deployment "${deploymentId}" in this project.`);
    if (row.deployment.state !== 'READY') {
      throw new HelixError(
        'HLX_NOT_READY',
        `The deployment is ${row.deployment.state}; only a READY one can serve production.`,
      );
    }
    await platform.promote(project.id, row.deployment.id);
    const production = await productionOf(db, project.id);
    return {
      project,
      production: { deploymentId: row.deployment.id, url: labelUrl(production!.label, platform.hostnames) },
    };
  }

  app.post(
    '/projects/:project/promote',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Points the production alias at a READY deployment at once, without a rebuild.',
        tags: ['deployments'],
        params: ProjectParams,
        body: Type.Object({ deployment: Id }, { additionalProperties: false }),
        response: { 200: Production },
      },
    },
    async (request) => {
      const { project, production } = await moveProduction(
        principalOf(request).orgId,
        request.params.project,
        request.body.deployment,
      );
      await recordAudit(
        db,
        request,
        'deployment.promote',
        { type: 'deployment', id: production.deploymentId },
        { project: project.name },
      );
      return { production };
    },
  );

  app.post(
    '/projects/:project/rollback',
    {
      config: { access: 'developer' },
      schema: {
        summary:
          'Moves the production alias back: to the given deployment, or to where it pointed before its last move.',
        tags: ['deployments'],
        params: ProjectParams,
        body: Type.Object({ deployment: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Production },
      },
    },
    async (request) => {
      const orgId = principalOf(request).orgId;
      const project = await findProject(db, orgId, request.params.project);
      let target = request.body?.deployment;
      if (!target) {
        const current = await productionOf(db, project.id);
        if (!current?.previousDeploymentId) throw new HelixError('HLX_NO_PREVIOUS');
        target = current.previousDeploymentId;
      }
      const { production } = await moveProduction(orgId, request.params.project, target);
      await recordAudit(
        db,
        request,
        'deployment.rollback',
        { type: 'deployment', id: production.deploymentId },
        { project: project.name },
      );
      return { production };
    },
  );
};
