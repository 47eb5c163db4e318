import type { JsonSchema } from '@helixstack/sdk';

export interface RestartPolicy {
  /** Delay before the first restart after a crash (default 500 ms); it doubles per quick crash. */
  initialDelayMs: number;
  /** The longest delay between restarts (default 30 s). */
  maxDelayMs: number;
  /** A process that stayed up this long starts over from the first delay (default 30 s). */
  stableAfterMs: number;
  /** This many quick crashes in a row make the state `crash-loop` (default 3). */
  crashLoopAfter: number;
}

export interface ProcessRuntimeOptions {
  /** Where the runtime records the processes it starts, so that a restarted server can stop orphans. */
  stateDir: string;
  /** How long a process may take to exit after SIGTERM before SIGKILL (default 10 s). */
  stopGraceMs?: number;
  restart?: Partial<RestartPolicy>;
  /** Log lines kept in memory per deployment (default 5000). */
  logLines?: number;
  /** Longer output lines are cut to this many characters (default 16384). */
  maxLineLength?: number;
  /** The account apps run as when the server runs as root (default `nobody`). */
  user?: string;
  /** Use a cgroup (v1) per deployment for memory and process limits when writable (default true). */
  cgroups?: boolean;
  /** Where the cgroup v1 controllers are mounted (default /sys/fs/cgroup). */
  cgroupRoot?: string;
}

export type ResolvedOptions = Required<Omit<ProcessRuntimeOptions, 'restart'>> & { restart: RestartPolicy };

export function resolveOptions(options: ProcessRuntimeOptions): ResolvedOptions {
  return {
    stateDir: options.stateDir,
    stopGraceMs: options.stopGraceMs ?? 10_000,
    restart: {
      initialDelayMs: options.restart?.initialDelayMs ?? 500,
      maxDelayMs: options.restart?.maxDelayMs ?? 30_000,
      stableAfterMs: options.restart?.stableAfterMs ?? 30_000,
      crashLoopAfter: options.restart?.crashLoopAfter ?? 3,
    },
    logLines: options.logLines ?? 5000,
    maxLineLength: options.maxLineLength ?? 16_384,
    user: options.user ?? 'nobody',
    cgroups: options.cgroups ?? true,
    cgroupRoot: options.cgroupRoot ?? '/sys/fs/cgroup',
  };
}

const milliseconds = { type: 'integer', minimum: 0 } as const;

/** The options above as JSON Schema, validated at the API edge. */
export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['stateDir'],
  properties: {
    stateDir: {
      type: 'string',
      minLength: 1,
      description: 'Directory for the records of started processes.',
    },
    stopGraceMs: { ...milliseconds, default: 10_000 },
    restart: {
      type: 'object',
      additionalProperties: false,
      properties: {
        initialDelayMs: { ...milliseconds, default: 500 },
        maxDelayMs: { ...milliseconds, default: 30_000 },
        stableAfterMs: { ...milliseconds, default: 30_000 },
        crashLoopAfter: { type: 'integer', minimum: 1, default: 3 },
      },
    },
    logLines: { type: 'integer', minimum: 1, default: 5000 },
    maxLineLength: { type: 'integer', minimum: 80, default: 16_384 },
    user: { type: 'string', minLength: 1, default: 'nobody' },
    cgroups: { type: 'boolean', default: true },
    cgroupRoot: { type: 'string', minLength: 1, default: '/sys/fs/cgroup' },
  },
};
