import { normalizeHost } from './hostnames.ts';

/** One instance of a deployment that accepts HTTP/1.1 on host:port. */
export interface Upstream {
  readonly host: string;
  readonly port: number;
}

/** A deployment served by running instances; requests are spread round-robin over `upstreams`. */
export interface UpstreamTarget {
  readonly kind: 'upstream';
  readonly deploymentId: string;
  readonly projectId: string;
  readonly upstreams: readonly Upstream[];
}

/** A deployment whose artifact is a directory of files served by the router itself. */
export interface StaticTarget {
  readonly kind: 'static';
  readonly deploymentId: string;
  readonly projectId: string;
  /** Absolute path of the directory; nothing outside it is ever served. */
  readonly root: string;
}

/**
 * A known host that cannot serve now. 503 means "retry soon" (starting, scaled to zero)
 * and is answered with Retry-After; 502 means the deployment failed.
 */
export interface UnavailableTarget {
  readonly kind: 'unavailable';
  /** Shown to the visitor, so it must not carry internal details. */
  readonly reason: string;
  readonly status: 502 | 503;
  readonly retryAfterSeconds?: number;
  readonly deploymentId?: string;
  readonly projectId?: string;
}

export type RouteTarget = UpstreamTarget | StaticTarget | UnavailableTarget;

/** Called with the origins (`http://host:port`) that no target references any more. */
export type UpstreamsRemovedListener = (origins: readonly string[]) => void;

/**
 * Where the router learns which deployment serves a host. The router never reads the
 * database; the server keeps an implementation of this up to date.
 */
export interface RouteTable {
  /**
   * Called on every request with a normalized hostname (lowercase, no port, no trailing
   * dot). Must be synchronous and cheap. `undefined` means unknown host (404).
   */
  resolve(host: string): RouteTarget | undefined;
  /**
   * Optional. The router subscribes so it can close the connection pool of an upstream
   * once no target uses it. Without it, pools live until the router closes.
   * Returns a function that unsubscribes.
   */
  onUpstreamsRemoved?(listener: UpstreamsRemovedListener): () => void;
}

export function upstreamOrigin(upstream: Upstream): string {
  const host = upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host;
  return `http://${host}:${upstream.port}`;
}

/**
 * The in-memory route table. Every change swaps or updates one Map synchronously, so a
 * request resolving at any moment sees the old target or the new one, never none.
 */
export class MemoryRouteTable implements RouteTable {
  #routes = new Map<string, RouteTarget>();
  #originRefs = new Map<string, number>();
  #listeners = new Set<UpstreamsRemovedListener>();

  constructor(initial?: Iterable<readonly [string, RouteTarget]>) {
    if (initial) this.replaceAll(initial);
  }

  resolve(host: string): RouteTarget | undefined {
    return this.#routes.get(normalizeHost(host));
  }

  /** Points one hostname at a target, replacing what it pointed at. */
  set(hostname: string, target: RouteTarget): void {
    const host = normalizeHost(hostname);
    const previous = this.#routes.get(host);
    this.#routes.set(host, target);
    this.#reference(target, 1);
    if (previous) this.#notify(this.#reference(previous, -1));
  }

  delete(hostname: string): boolean {
    const host = normalizeHost(hostname);
    const previous = this.#routes.get(host);
    if (!previous) return false;
    this.#routes.delete(host);
    this.#notify(this.#reference(previous, -1));
    return true;
  }

  /** Replaces every route at once: the switch a promote or rollback makes. */
  replaceAll(routes: Iterable<readonly [string, RouteTarget]> | Readonly<Record<string, RouteTarget>>): void {
    const entries = Symbol.iterator in routes ? routes : Object.entries(routes);
    const next = new Map<string, RouteTarget>();
    for (const [hostname, target] of entries) next.set(normalizeHost(hostname), target);
    const before = this.#originRefs;
    this.#routes = next;
    this.#originRefs = new Map();
    for (const target of next.values()) this.#reference(target, 1);
    this.#notify([...before.keys()].filter((origin) => !this.#originRefs.has(origin)));
  }

  get size(): number {
    return this.#routes.size;
  }

  entries(): IterableIterator<[string, RouteTarget]> {
    return this.#routes.entries();
  }

  onUpstreamsRemoved(listener: UpstreamsRemovedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Adjusts reference counts of the target's origins; returns origins that dropped to zero. */
  #reference(target: RouteTarget, delta: 1 | -1): string[] {
    if (target.kind !== 'upstream') return [];
    const released: string[] = [];
    for (const upstream of target.upstreams) {
      const origin = upstreamOrigin(upstream);
      const count = (this.#originRefs.get(origin) ?? 0) + delta;
      if (count > 0) this.#originRefs.set(origin, count);
      else {
        this.#originRefs.delete(origin);
        released.push(origin);
      }
    }
    return released;
  }

  #notify(origins: readonly string[]): void {
    if (origins.length === 0) return;
    for (const listener of this.#listeners) listener(origins);
  }
}
