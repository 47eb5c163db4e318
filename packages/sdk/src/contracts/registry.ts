import { HelixError } from '../errors.ts';
import { isDnsLabel } from '../names.ts';
import { contractVersion, type PluginKind, pluginKinds } from './manifest.ts';
import { capabilityMembers, type Plugin, type PluginsByKind, requiredMembers } from './plugin.ts';

function invalid(id: string, problem: string): HelixError {
  return new HelixError('HLX_PLUGIN_INVALID', `Plug-in "${id}" ${problem}.`, { plugin: id });
}

/** Checks a plug-in against its contract; throws HLX_PLUGIN_INVALID naming the first problem. */
export function validatePlugin(plugin: Plugin): void {
  const manifest = plugin.manifest;
  const id = String(manifest?.id);
  if (!manifest || !isDnsLabel(id)) throw invalid(id, 'has no manifest or an id that is not a DNS label');
  if (!pluginKinds.includes(manifest.kind)) throw invalid(id, `has an unknown kind "${manifest.kind}"`);
  if (manifest.contractVersion !== contractVersion) {
    throw invalid(id, `targets contract ${manifest.contractVersion}, this host speaks ${contractVersion}`);
  }
  const members = plugin as unknown as Record<string, unknown>;
  for (const member of requiredMembers[manifest.kind]) {
    if (members[member] === undefined)
      throw invalid(id, `does not implement the required member "${member}"`);
  }
  const known = capabilityMembers[manifest.kind];
  for (const capability of manifest.capabilities) {
    const member = known[capability];
    if (!member) throw invalid(id, `declares the unknown capability "${capability}"`);
    if (typeof members[member] !== 'function')
      throw invalid(id, `declares "${capability}" but does not implement ${member}()`);
  }
  for (const [capability, member] of Object.entries(known)) {
    if (typeof members[member] === 'function' && !manifest.capabilities.includes(capability as never)) {
      throw invalid(id, `implements ${member}() but does not declare the capability "${capability}"`);
    }
  }
}

/** Plug-ins by id. The host looks plug-ins up here, never through a switch on names. */
export class PluginRegistry {
  readonly #plugins = new Map<string, Plugin>();

  register(plugin: Plugin): this {
    validatePlugin(plugin);
    if (this.#plugins.has(plugin.manifest.id)) {
      throw new HelixError('HLX_PLUGIN_DUPLICATE', `Two plug-ins use the id "${plugin.manifest.id}".`);
    }
    this.#plugins.set(plugin.manifest.id, plugin);
    return this;
  }

  get<K extends PluginKind>(kind: K, id: string): PluginsByKind[K] {
    const plugin = this.#plugins.get(id);
    if (!plugin || plugin.manifest.kind !== kind) {
      throw new HelixError('HLX_PLUGIN_NOT_FOUND', `No ${kind} plug-in "${id}" is installed.`, { kind, id });
    }
    return plugin as PluginsByKind[K];
  }

  /** Plug-ins of one kind in registration order (builders are tried in this order). */
  list<K extends PluginKind>(kind: K): PluginsByKind[K][] {
    return [...this.#plugins.values()].filter(
      (plugin) => plugin.manifest.kind === kind,
    ) as PluginsByKind[K][];
  }

  all(): Plugin[] {
    return [...this.#plugins.values()];
  }
}

/**
 * Throws HLX_CAPABILITY_UNDECLARED unless the plug-in declares the capability. The host
 * calls it before every optional member; load-time checks guarantee the member exists then.
 */
export function requireCapability(plugin: Plugin, name: string): void {
  const manifest = plugin.manifest;
  if (!(manifest.capabilities as readonly string[]).includes(name)) {
    throw new HelixError(
      'HLX_CAPABILITY_UNDECLARED',
      `The ${manifest.kind} plug-in "${manifest.id}" does not support "${name}".`,
      { plugin: manifest.id, capability: name },
    );
  }
}
