import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HelixError } from '@helixstack/sdk';
import {
  collectFiles,
  extractArchive,
  localBlobTransport,
  planUpload,
  uploadMissingBlobs,
} from '@helixstack/source';
import { Type } from 'typebox';
import { recordAudit } from '../audit.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';

const Digest = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** Manifest entries are checked in depth by the source library; the schema only bounds the shape. */
const Files = Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 100_000 });

export const sourceRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { db, platform }) => {
  // Blobs and archives stream straight to disk under the upload limits instead of being buffered.
  app.addContentTypeParser(['application/octet-stream', 'application/x-tar'], (_request, _payload, done) =>
    done(null),
  );

  app.put(
    '/blobs/:digest',
    {
      config: { access: 'developer' },
      schema: {
        summary: "Stores one file's content under its sha256; content the server already has answers 200.",
        tags: ['sources'],
        params: Type.Object({ digest: Digest }),
        response: {
          200: Type.Object({ digest: Type.String(), stored: Type.Boolean() }),
          201: Type.Object({ digest: Type.String(), stored: Type.Boolean() }),
        },
      },
    },
    async (request, reply) => {
      const store = platform.blobs(principalOf(request).orgId);
      const { digest } = request.params;
      if (await store.has(digest)) {
        request.raw.resume();
        return reply.status(200).send({ digest, stored: false });
      }
      const declared = Number(request.headers['content-length']);
      await store.put(digest, request.raw, {
        maxBytes: platform.uploadLimits.maxBytes,
        ...(Number.isSafeInteger(declared) ? { expectedSize: declared } : {}),
      });
      await recordAudit(db, request, 'blob.store', { type: 'blob', id: digest });
      return reply.status(201).send({ digest, stored: true });
    },
  );

  app.post(
    '/sources/check',
    {
      config: { access: 'developer' },
      schema: {
        summary: 'Validates a source manifest and answers which blobs the server still needs.',
        tags: ['sources'],
        body: Type.Object({ files: Files }, { additionalProperties: false }),
        response: { 200: Type.Object({ digest: Type.String(), missing: Type.Array(Type.String()) }) },
      },
    },
    async (request) => {
      const plan = await planUpload(
        platform.blobs(principalOf(request).orgId),
        request.body.files,
        platform.uploadLimits,
      );
      return { digest: plan.digest, missing: plan.missing };
    },
  );

  app.post(
    '/sources/archive',
    {
      config: { access: 'developer' },
      schema: {
        summary:
          'Takes a plain tar of a source tree, refuses unsafe entries, stores its files and answers the manifest.',
        tags: ['sources'],
        response: { 200: Type.Object({ digest: Type.String(), files: Files }) },
      },
    },
    async (request, reply) => {
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.startsWith('application/x-tar')) throw new HelixError('HLX_UNSUPPORTED_MEDIA_TYPE');
      const work = await mkdtemp(join(tmpdir(), 'helix-archive-'));
      const tree = join(work, 'tree');
      try {
        await extractArchive(request.raw, tree, platform.uploadLimits);
        const files = await collectFiles(tree);
        const store = platform.blobs(principalOf(request).orgId);
        await uploadMissingBlobs(tree, files, localBlobTransport(store, platform.uploadLimits));
        const plan = await planUpload(store, files, platform.uploadLimits);
        await recordAudit(
          db,
          request,
          'source.archive',
          { type: 'source', id: plan.digest },
          { files: plan.files.length },
        );
        return { digest: plan.digest, files: plan.files as unknown as Record<string, unknown>[] };
      } catch (error) {
        // The rest of a refused archive is not read: close the connection after answering.
        reply.header('connection', 'close');
        throw error;
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  );
};
