/** The kinds of plug-in the host knows, each with its own contract. */
export const pluginKinds = ['builder', 'runtime', 'delivery', 'secrets', 'source'] as const;
export type PluginKind = (typeof pluginKinds)[number];

/** The contract version this SDK defines; a plug-in built for another is refused at load. */
export const contractVersion = '1' as const;

/** A JSON Schema object (draft 2020-12) describing a plug-in's configuration. */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * What a plug-in says about itself. The host checks it at load time: the id is a DNS
 * label, the contract version matches, and every declared capability is implemented
 * (and every implemented optional capability declared).
 */
export interface PluginManifest<K extends PluginKind = PluginKind, C extends string = string> {
  /** Unique, `<kind>-<name>` by convention: `runtime-process`, `builder-node`. */
  id: string;
  kind: K;
  contractVersion: typeof contractVersion;
  /** Human-readable one-liner for listings. */
  description: string;
  /** Validated at the API edge before the plug-in ever sees its configuration. */
  configSchema: JsonSchema;
  /** The optional capabilities this plug-in implements (the required ones are implied). */
  capabilities: readonly C[];
}

/** Members every plug-in may have, whatever its kind. */
export interface PluginLifecycle {
  /**
   * Called once when the host starts, before any other member. A runtime uses it to
   * clean up what a previous host process left behind. Absent: nothing to prepare.
   */
  init?(ctx: { logger: import('./context.ts').PluginLogger; signal: AbortSignal }): Promise<void>;
  /** Called once when the host stops. Absent: nothing to release. */
  close?(): Promise<void>;
}
