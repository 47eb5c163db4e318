import type { Scope, Secrets, SecretsCapability } from '@helixstack/sdk';

export interface FakeSecretsOptions {
  /** Optional capabilities to declare and implement (default both, list and versions). */
  capabilities?: readonly SecretsCapability[];
}

interface Version {
  version: string;
  createdAt: string;
  value: string;
}

const scopeKey = (scope: Scope): string => JSON.stringify([scope.org, scope.project, scope.environment]);

/**
 * A Secrets store in memory, for tests. Every put of a name adds a version; delete drops the
 * name with its history. Values leave it only through get.
 */
export function fakeSecrets(options: FakeSecretsOptions = {}): Secrets {
  const capabilities = [...(options.capabilities ?? ['list', 'versions'])];
  /** Scope key -> name -> versions, oldest first. */
  const scopes = new Map<string, Map<string, Version[]>>();
  let nextVersion = 1;
  const namesOf = (scope: Scope): Map<string, Version[]> => {
    const key = scopeKey(scope);
    let names = scopes.get(key);
    if (!names) {
      names = new Map();
      scopes.set(key, names);
    }
    return names;
  };

  const secrets: Secrets = {
    manifest: {
      id: 'secrets-fake',
      kind: 'secrets',
      contractVersion: '1',
      description: 'In-memory secrets for tests',
      configSchema: { type: 'object', additionalProperties: false },
      capabilities,
    },
    async get(_ctx, scope, names) {
      const stored = namesOf(scope);
      const values: Record<string, string> = {};
      for (const name of names) {
        const latest = stored.get(name)?.at(-1);
        if (latest) values[name] = latest.value;
      }
      return values;
    },
    async put(_ctx, scope, values) {
      const stored = namesOf(scope);
      const createdAt = new Date().toISOString();
      for (const [name, value] of Object.entries(values)) {
        const history = stored.get(name) ?? [];
        history.push({ version: String(nextVersion++), createdAt, value });
        stored.set(name, history);
      }
    },
    async delete(_ctx, scope, names) {
      const stored = namesOf(scope);
      for (const name of names) stored.delete(name);
    },
  };
  // Optional members exist only when declared: the host's load-time check refuses the rest.
  if (capabilities.includes('list')) {
    secrets.list = async (_ctx, scope) => [...namesOf(scope).keys()].sort();
  }
  if (capabilities.includes('versions')) {
    secrets.versions = async (_ctx, scope, name) =>
      (namesOf(scope).get(name) ?? []).map(({ version, createdAt }) => ({ version, createdAt })).reverse();
  }
  return secrets;
}
