import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HelixError } from '@helixstack/sdk';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authorize } from './auth.ts';
import type { ApiContext } from './context.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { auditRoutes } from './routes/audit.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { domainRoutes } from './routes/domains.ts';
import { envVarRoutes } from './routes/env-vars.ts';
import { environmentRoutes } from './routes/environments.ts';
import { healthRoutes } from './routes/health.ts';
import { identityRoutes } from './routes/identity.ts';
import { logRoutes } from './routes/logs.ts';
import { memberRoutes } from './routes/members.ts';
import { projectRoutes } from './routes/projects.ts';
import { releaseRoutes } from './routes/releases.ts';
import { sourceRoutes } from './routes/sources.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { ErrorBody } from './schemas.ts';
import { validatorCompiler } from './validation.ts';

export interface ApiOptions extends ApiContext {
  logger?: FastifyServerOptions['loggerInstance'];
  /** Largest JSON body accepted, in bytes. */
  bodyLimit?: number;
  /** Trust X-Forwarded-For from these proxies when recording source addresses. */
  trustProxy?: FastifyServerOptions['trustProxy'];
}

const routeModules = [
  healthRoutes,
  identityRoutes,
  memberRoutes,
  tokenRoutes,
  projectRoutes,
  environmentRoutes,
  envVarRoutes,
  sourceRoutes,
  deploymentRoutes,
  logRoutes,
  releaseRoutes,
  domainRoutes,
  auditRoutes,
];

/** The control plane's HTTP API under /v1. Every route declares who may call it. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const { logger, bodyLimit = 1024 * 1024, trustProxy = false, ...context } = options;
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : {}),
    bodyLimit,
    trustProxy,
    return503OnClosing: true,
    ajv: undefined,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('principal', null);

  // A route without a declared access rule is a programming error, caught at start.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/') && !route.config?.access) {
      throw new HelixError('HLX_INTERNAL', `Route ${route.method} ${route.url} declares no access rule.`);
    }
  });
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    await authorize(context.db, request);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'HelixStack API', version: context.version },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token: hlx_...' } },
      },
      security: [{ bearer: [] }],
    },
    transform: ({ schema, url }) => ({
      schema: {
        ...schema,
        response: { ...(schema?.response as object), '4XX': ErrorBody, '5XX': ErrorBody },
      },
      url,
    }),
  });

  await app.register(
    async (v1) => {
      for (const routes of routeModules) await v1.register(routes, context);
    },
    { prefix: '/v1' },
  );
  return app;
}
