import { Pool } from 'undici';
import type { Upstream, UpstreamTarget } from './route-table.ts';
import { upstreamOrigin } from './route-table.ts';

export interface PoolOptions {
  /** Keep-alive connections per upstream origin at most. */
  connections: number;
  /** How long to wait for the response head of an upstream. */
  headersTimeoutMs: number;
  /** Longest pause between two chunks of a response body; 0 disables (for SSE). */
  bodyTimeoutMs: number;
}

/**
 * One undici Pool per upstream origin, reused by every request so connections stay
 * alive between requests. A pool is closed when its origin leaves the route table.
 */
export class UpstreamPools {
  #pools = new Map<string, Pool>();
  #origins = new WeakMap<Upstream, string>();
  #cursors = new WeakMap<readonly Upstream[], number>();
  readonly #options: PoolOptions;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** The pool of the next upstream of the target, round-robin. */
  next(target: UpstreamTarget): Pool | undefined {
    const upstream = this.pick(target);
    return upstream === undefined ? undefined : this.#poolFor(upstream);
  }

  /** The next upstream of the target, round-robin (a cursor per upstream list). */
  pick(target: UpstreamTarget): Upstream | undefined {
    const upstreams = target.upstreams;
    if (upstreams.length <= 1) return upstreams[0];
    const cursor = this.#cursors.get(upstreams) ?? 0;
    this.#cursors.set(upstreams, cursor + 1 >= upstreams.length ? 0 : cursor + 1);
    return upstreams[cursor % upstreams.length];
  }

  #poolFor(upstream: Upstream): Pool {
    let origin = this.#origins.get(upstream);
    if (origin === undefined) {
      origin = upstreamOrigin(upstream);
      this.#origins.set(upstream, origin);
    }
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#options.connections,
        pipelining: 1,
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: this.#options.bodyTimeoutMs,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  get size(): number {
    return this.#pools.size;
  }

  has(origin: string): boolean {
    return this.#pools.has(origin);
  }

  /** Closes pools of origins that left the table; requests already running finish first. */
  release(origins: readonly string[]): void {
    for (const origin of origins) {
      const pool = this.#pools.get(origin);
      if (!pool) continue;
      this.#pools.delete(origin);
      pool.close().catch(() => {});
    }
  }

  /** Closes every pool: gracefully, or at once with `force` (after a drain timeout). */
  async close(force = false): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => (force ? pool.destroy() : pool.close()).catch(() => {})));
  }
}
