import type { Artifact } from './builder.ts';
import type { LogLine, OperationContext } from './context.ts';
import type { PluginLifecycle, PluginManifest } from './manifest.ts';

export interface HealthCheck {
  /** HTTP path probed on the instance; a 2xx or 3xx answer is healthy. */
  path: string;
  /** How long an instance may take to become healthy before the deployment is ERROR. */
  deadlineMs: number;
  /** Time between probes. */
  intervalMs: number;
}

export interface DeploySpec {
  /** The deployment this instance serves; deploying the same id again is a no-op. */
  deploymentId: string;
  /** Variables for the process: the environment's variables plus HELIX_* metadata. */
  env: Record<string, string>;
  healthCheck: HealthCheck;
  /** Limits the runtime applies where its platform allows; absent means its defaults. */
  resources?: { memoryMb?: number; maxProcesses?: number };
}

/** What the host stores to find a deployed instance again; plain JSON, no secrets. */
export interface RuntimeHandle {
  runtime: string;
  deploymentId: string;
  data: Record<string, unknown>;
}

export type InstanceState = 'starting' | 'running' | 'crash-loop' | 'stopped' | 'failed';

export interface InstanceStatus {
  state: InstanceState;
  /** True once the health check passed and while it keeps passing; gates traffic. */
  healthy: boolean;
  /** Where the router sends traffic; empty until the instance listens. */
  endpoints: { host: string; port: number }[];
  /** Restarts since deploy (crashes). */
  restarts: number;
  /** Why the instance is not running, in words a user can act on. */
  message?: string;
  /** Crash-loop: when the next restart is attempted (ISO 8601). */
  nextRestartAt?: string;
}

export type RuntimeCapability = 'stop' | 'start' | 'scale' | 'exec';

/** Runs artifacts as instances with reachable endpoints. */
export interface Runtime extends PluginLifecycle {
  readonly manifest: PluginManifest<'runtime', RuntimeCapability>;
  /** Artifact kinds this runtime can run; the host picks a runtime by it. */
  readonly accepts: readonly Artifact['kind'][];
  /**
   * Called by the host when a build is done. Starts the instance and returns at once
   * with a handle (health comes later, through `status`). Idempotent per deployment id.
   */
  deploy(ctx: OperationContext, input: { artifact: Artifact; spec: DeploySpec }): Promise<RuntimeHandle>;
  /** Polled by the host while deploying and reconciling. Never throws for a gone instance: `stopped`. */
  status(ctx: OperationContext, handle: RuntimeHandle): Promise<InstanceStatus>;
  /**
   * The instance's output. With `follow`, yields new lines until `ctx.signal` aborts or
   * the instance is destroyed; `since` (ISO time) skips older lines.
   */
  logs(
    ctx: OperationContext,
    handle: RuntimeHandle,
    options: { since?: string; follow?: boolean },
  ): AsyncIterable<LogLine>;
  /** Stops the instance and removes what deploy created. Idempotent: destroying twice is fine. */
  destroy(ctx: OperationContext, handle: RuntimeHandle): Promise<void>;
  /** Capability `stop`: stops the instance but keeps it deployable by `start` (scale to zero). */
  stop?(ctx: OperationContext, handle: RuntimeHandle): Promise<void>;
  /** Capability `start`: starts an instance stopped by `stop`. */
  start?(ctx: OperationContext, handle: RuntimeHandle): Promise<void>;
  /** Capability `scale`: runs `replicas` instances behind the handle. */
  scale?(ctx: OperationContext, handle: RuntimeHandle, replicas: number): Promise<void>;
  /** Capability `exec`: runs a command inside the instance's environment. */
  exec?(
    ctx: OperationContext,
    handle: RuntimeHandle,
    command: string[],
  ): Promise<{ exitCode: number; output: string }>;
}
