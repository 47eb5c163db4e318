import type { SourceTree } from './builder.ts';
import type { OperationContext } from './context.ts';
import type { PluginLifecycle, PluginManifest } from './manifest.ts';

/** Where a deployment's source comes from, as stored on the deployment; plain JSON. */
export type SourceSpec = { type: 'upload'; digest: string } | { type: 'git'; url: string; ref: string };

export type SourceCapability = never;

/** Fetches a source into a local directory for the build plane. */
export interface Source extends PluginLifecycle {
  readonly manifest: PluginManifest<'source', SourceCapability>;
  /** The spec types this plug-in fetches. */
  readonly handles: readonly SourceSpec['type'][];
  /**
   * Called by a build worker before detect. Writes the tree into `dest` (empty, owned by
   * the host) and returns it with its digest and, for git, the commit. Refuses unsafe
   * input with an HLX_ error before any command runs.
   */
  fetch(
    ctx: OperationContext,
    input: { spec: SourceSpec; dest: string },
  ): Promise<SourceTree & { commit?: string }>;
}
