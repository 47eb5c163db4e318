import type { ApiToken, Environment, EnvVar, Project, Role } from '../types.ts';
import { FakeDeployments, fakeBaseDomain } from './fake-deployments.ts';

export interface FakeToken extends ApiToken {
  secret: string;
}

export interface FakeEnvVar extends EnvVar {
  projectId: string;
  value: string;
}

export interface FakeEnvironment extends Environment {
  projectId: string;
}

const standardEnvironments = ['production', 'preview', 'development'];

/** The in-memory data behind the fake API: one user in one org, as the real server seeds it. */
export class FakeState {
  readonly user = { id: 'usr_1', email: 'owner@example.com', name: 'Owner' };
  readonly org = { id: 'org_1', name: 'acme' };
  readonly projects: Project[] = [];
  readonly environments: FakeEnvironment[] = [];
  readonly envVars: FakeEnvVar[] = [];
  readonly tokens: FakeToken[] = [];
  readonly deployments = new FakeDeployments();
  /** Uploaded blobs by sha256 (one org, so one store). */
  readonly blobs = new Map<string, Buffer>();
  /** Each entry cuts one log stream's connection after that many lines, in order. */
  readonly logStreamDrops: number[] = [];
  #counter = 0;
  /** A fixed clock keeps the fake deterministic; each write moves it one second. */
  #time = Date.parse('2025-01-01T00:00:00.000Z');

  nextId(prefix: string): string {
    this.#counter += 1;
    return `${prefix}_${this.#counter}`;
  }

  now(): string {
    this.#time += 1000;
    return new Date(this.#time).toISOString();
  }

  addToken(name: string, role: Role, secret = `hlx_${this.nextId('secret')}_${'x'.repeat(16)}`): FakeToken {
    const token: FakeToken = {
      id: this.nextId('tok'),
      name,
      role,
      prefix: secret.slice(0, 8),
      userId: this.user.id,
      createdAt: this.now(),
      lastUsedAt: null,
      revokedAt: null,
      secret,
    };
    this.tokens.push(token);
    return token;
  }

  addProject(name: string): Project {
    const project: Project = {
      id: this.nextId('prj'),
      name,
      createdAt: this.now(),
      productionDeploymentId: null,
      urls: { production: `http://${name}.${fakeBaseDomain}` },
    };
    this.projects.push(project);
    for (const kind of standardEnvironments) this.addEnvironment(project.id, kind, kind);
    return project;
  }

  addEnvironment(projectId: string, name: string, kind = 'custom'): FakeEnvironment {
    const environment = { id: this.nextId('env'), projectId, name, kind, createdAt: this.now() };
    this.environments.push(environment);
    return environment;
  }

  /** Finds a project by id or name, as the API's :project parameter does. */
  findProject(idOrName: string): Project | undefined {
    return this.projects.find((project) => project.id === idOrName || project.name === idOrName);
  }

  findEnvironment(projectId: string, name: string): FakeEnvironment | undefined {
    return this.environments.find((env) => env.projectId === projectId && env.name === name);
  }
}

export function publicToken({ secret: _secret, ...token }: FakeToken): ApiToken {
  return token;
}

export function publicEnvVar({ projectId: _projectId, ...envVar }: FakeEnvVar): EnvVar {
  if (!envVar.sensitive) return envVar;
  const { value: _value, ...withoutValue } = envVar;
  return withoutValue;
}

export function publicEnvironment({ projectId: _projectId, ...environment }: FakeEnvironment): Environment {
  return environment;
}

export function removeWhere<T>(list: T[], predicate: (item: T) => boolean): void {
  for (let index = list.length - 1; index >= 0; index--) {
    const item = list[index];
    if (item !== undefined && predicate(item)) list.splice(index, 1);
  }
}
