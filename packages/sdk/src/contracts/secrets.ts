import type { OperationContext, Scope } from './context.ts';
import type { PluginLifecycle, PluginManifest } from './manifest.ts';

export type SecretsCapability = 'list' | 'versions';

/** Keeps secret values; the host reads them only to start a process or a build. */
export interface Secrets extends PluginLifecycle {
  readonly manifest: PluginManifest<'secrets', SecretsCapability>;
  /** Returns the values of the names that exist; missing names are absent, not errors. */
  get(ctx: OperationContext, scope: Scope, names: string[]): Promise<Record<string, string>>;
  /** Creates or replaces values. */
  put(ctx: OperationContext, scope: Scope, values: Record<string, string>): Promise<void>;
  /** Deletes names; deleting a missing name is fine. */
  delete(ctx: OperationContext, scope: Scope, names: string[]): Promise<void>;
  /** Capability `list`: the names in a scope, never the values. */
  list?(ctx: OperationContext, scope: Scope): Promise<string[]>;
  /** Capability `versions`: earlier versions of one name, newest first. */
  versions?(
    ctx: OperationContext,
    scope: Scope,
    name: string,
  ): Promise<{ version: string; createdAt: string }[]>;
}
