import type { OperationContext } from './context.ts';
import type { PluginLifecycle, PluginManifest } from './manifest.ts';

/** A source tree on local disk, ready to build. The host owns and removes it. */
export interface SourceTree {
  /** Absolute path of the tree's root. */
  dir: string;
  /** Content digest of the tree (sha256 of its manifest). */
  digest: string;
}

/** What a builder decided to do with a source; plain data, stored with the deployment. */
export interface BuildPlan {
  /** Id of the builder that made the plan. */
  builder: string;
  /** One line a user reads: "node 22 app, npm, build script, start: node server.js". */
  summary: string;
  /** Builder-specific details (package manager, versions, commands); JSON only. */
  details: Record<string, unknown>;
}

export type ArtifactKind = 'process-bundle' | 'oci-image' | 'static' | 'function-zip';

/** The output of a build, stored by the host and handed to a runtime or the router. */
export interface Artifact {
  kind: ArtifactKind;
  /** process-bundle and static: absolute directory; oci-image: image reference; function-zip: file path. */
  ref: string;
  /** sha256 of the artifact's content, so identical builds are recognisable. */
  digest: string;
  /** process-bundle: how to start it, relative to `ref`. */
  start?: { command: string[]; env?: Record<string, string> };
  /** Free-form facts (runtime version, framework); JSON strings only. */
  metadata: Record<string, string>;
}

/** A directory that survives between builds, keyed by what makes it reusable. */
export interface BuildCache {
  /**
   * Returns the cache directory for `key` (say `npm-<lockfile sha256>`); `hit` tells
   * whether it was filled by an earlier build. Fill it only after a successful step.
   */
  dir(key: string): Promise<{ path: string; hit: boolean }>;
}

export interface BuildInput {
  source: SourceTree;
  plan: BuildPlan;
  /** The environment's variables, build-time use only; never write them into logs. */
  env: Record<string, string>;
  cache: BuildCache;
  /** An empty directory the builder may write the artifact into. */
  outputDir: string;
}

export type BuilderCapability = never;

/** Turns source into an artifact. Builders are tried in registry order; the first plan wins. */
export interface Builder extends PluginLifecycle {
  readonly manifest: PluginManifest<'builder', BuilderCapability>;
  /**
   * Called for each new deployment with the unpacked source; must not modify it.
   * Returns a plan when this builder can build the source, null when it cannot.
   */
  detect(source: SourceTree): Promise<BuildPlan | null>;
  /**
   * Called by a build worker with the plan this builder made. Streams its output through
   * `ctx.output`; throws a HelixError with an HLX_ code when the build fails. Building
   * the same input twice must give an equivalent artifact.
   */
  build(ctx: OperationContext, input: BuildInput): Promise<Artifact>;
}
