import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isFinal } from '@helixstack/core';
import { type Database, deployments } from '@helixstack/db';
import type { LogSource, LogStore } from '@helixstack/logs';
import { eq } from 'drizzle-orm';
import { Type } from 'typebox';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { findDeployment } from '../deployment-view.ts';
import { Id } from '../schemas.ts';

const pingEveryMs = 15_000;
const finalGraceMs = 300;

interface FollowOptions {
  after: number | undefined;
  follow: boolean;
  untilFinal: boolean;
  sources: LogSource[] | undefined;
}

async function stateOf(db: Database, id: string) {
  const [row] = await db
    .select({ state: deployments.state, errorMessage: deployments.errorMessage })
    .from(deployments)
    .where(eq(deployments.id, id));
  return row;
}

/** NDJSON events: stored lines from the cursor on, then (following) new lines and state changes. */
async function* events(
  db: Database,
  logs: LogStore,
  id: string,
  options: FollowOptions,
  signal: AbortSignal,
) {
  let after = options.after;
  let lastState: string | undefined;
  let lastPing = Date.now();
  let finalSince: number | undefined;
  while (!signal.aborted) {
    // Lines first, then the state read after them, so a state event follows the lines
    // written before it changed.
    const lines = await logs.read(id, {
      ...(after === undefined ? {} : { after }),
      ...(options.sources ? { sources: options.sources } : {}),
    });
    for (const line of lines) yield `${JSON.stringify({ type: 'log', ...line })}\n`;
    const state = await stateOf(db, id);
    if (state && state.state !== lastState) {
      lastState = state.state;
      yield `${JSON.stringify({ type: 'state', ...state })}\n`;
    }
    after = lines.at(-1)?.seq ?? after;
    if (lines.length === 1000) continue;
    if (!options.follow) return;
    // Writers flush in batches: lines may land just after the final state, so end only
    // once a pass a little after the final state found nothing new.
    if (options.untilFinal && state && isFinal(state.state)) {
      finalSince ??= Date.now();
      if (lines.length === 0 && Date.now() - finalSince > finalGraceMs) return;
      await new Promise((resolve) => setTimeout(resolve, finalGraceMs));
      continue;
    }
    if (Date.now() - lastPing >= pingEveryMs) {
      lastPing = Date.now();
      yield '{"type":"ping"}\n';
    }
    await logs.waitForLines(id, signal);
  }
}

export const logRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db, platform }) => {
  app.get(
    '/deployments/:deployment/logs',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          'Build, runtime and system logs as NDJSON ({type:"log"|"state"|"ping"}). `after` resumes from a seq; `follow` keeps the stream open; `until=final` ends it once the deployment is READY, ERROR or CANCELED.',
        tags: ['deployments'],
        params: Type.Object({ deployment: Id }),
        querystring: Type.Object(
          {
            after: Type.Optional(Type.Integer({ minimum: 0 })),
            follow: Type.Optional(Type.Boolean()),
            until: Type.Optional(Type.Literal('final')),
            source: Type.Optional(Type.Enum(['build', 'runtime', 'system'])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const row = await findDeployment(db, principalOf(request).orgId, request.params.deployment);
      const { after, follow = false, until, source } = request.query;
      const stop = new AbortController();
      request.raw.once('close', () => stop.abort());
      const options: FollowOptions = {
        after,
        follow,
        untilFinal: until === 'final',
        sources: source ? [source as LogSource] : undefined,
      };
      const stream = Readable.from(events(db, platform.logs, row.deployment.id, options, stop.signal));
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
};
