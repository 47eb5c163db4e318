import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Artifact,
  type DeploySpec,
  type InstanceState,
  type InstanceStatus,
  type LogLine,
  LogRing,
  type RuntimeHandle,
} from '@helixstack/sdk';
import { formatDelay, quickCrashCount, restartDelay } from './backoff.ts';
import { cgroupMembers, type DeploymentCgroups, removeCgroups } from './cgroups.ts';
import { describeExit, describeSpawnError } from './exit-reason.ts';
import { probeHttp } from './health-probe.ts';
import { HealthTracker } from './health-tracker.ts';
import { planLaunch } from './launch-plan.ts';
import { LineSplitter } from './line-splitter.ts';
import type { ResolvedOptions } from './options.ts';
import { processStartTime, signalGroup, signalProcess } from './proc.ts';
import type { RecordStore } from './records.ts';
import type { RunAs } from './run-as.ts';

export interface InstanceSetup {
  key: string;
  artifact: Artifact;
  spec: DeploySpec;
  host: string;
  port: number;
  options: ResolvedOptions;
  records: RecordStore;
  cgroups: DeploymentCgroups | undefined;
  /** Every cgroup directory recorded for the deployment, made or not. */
  cgroupDirs: string[];
  runAs: RunAs | undefined;
  prlimit: string | undefined;
}

/** Resolves true when `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = sleep(ms, false, { ref: false });
  return Promise.race([promise.then(() => true), timeout]);
}

/**
 * Supervises one deployment: runs its process (in its own process group, as the
 * unprivileged user), probes its health, restarts it after a crash with capped
 * exponential backoff, keeps its output, and stops it with SIGTERM then SIGKILL.
 */
export class Instance {
  readonly handle: RuntimeHandle;
  readonly logs: LogRing;
  readonly #setup: InstanceSetup;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #wanted = false;
  readonly #health: HealthTracker;
  #state: InstanceState = 'starting';
  #restarts = 0;
  #quickCrashes = 0;
  /** Why the app is not running, while it is not (exited, stopped, failed to start). */
  #message: string | undefined;
  /** In a crash loop: what the crashes were, kept while the restarted process starts. */
  #crashLoop: string | undefined;
  #nextRestartAt: number | undefined;
  #startedAt = 0;
  #oomKillsAtStart = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #probeTimer: NodeJS.Timeout | undefined;
  #destroyed: Promise<void> | undefined;

  constructor(setup: InstanceSetup) {
    this.#setup = setup;
    this.handle = {
      runtime: 'runtime-process',
      deploymentId: setup.spec.deploymentId,
      data: { host: setup.host, port: setup.port },
    };
    this.logs = new LogRing(setup.options.logLines);
    this.#health = new HealthTracker(setup.spec.healthCheck.path, setup.port);
  }

  get digest(): string {
    return this.#setup.artifact.digest;
  }

  get destroying(): boolean {
    return this.#destroyed !== undefined;
  }

  /** Runs the app unless it runs already or waits for a restart. */
  start(): void {
    if (this.#wanted || this.#destroyed) return;
    this.#wanted = true;
    this.#quickCrashes = 0;
    this.#launch();
  }

  status(): InstanceStatus {
    const { host, port } = this.#setup;
    const running = this.#child !== undefined;
    const health = this.#health;
    let message = running ? health.message : this.#message;
    if (running && this.#state === 'crash-loop') message = `${this.#crashLoop}; restarted, ${message}`;
    return {
      state: this.#state,
      healthy: running && health.healthy,
      endpoints: running && health.listening ? [{ host, port }] : [],
      restarts: this.#restarts,
      ...(message === undefined ? {} : { message }),
      ...(this.#nextRestartAt === undefined
        ? {}
        : { nextRestartAt: new Date(this.#nextRestartAt).toISOString() }),
    };
  }

  /** SIGTERM to the process group, SIGKILL after the grace period; no restart follows. */
  async stop(): Promise<void> {
    this.#wanted = false;
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#probeTimer);
    this.#nextRestartAt = undefined;
    const pid = this.#child?.pid;
    if (pid !== undefined) {
      this.#log('system', `stopping: SIGTERM to process group ${pid}`);
      signalGroup(pid, 'SIGTERM');
      const grace = this.#setup.options.stopGraceMs;
      if (!(await within(this.#exited, grace))) {
        this.#log('system', `did not stop within ${formatDelay(grace)}; sending SIGKILL`);
        signalGroup(pid, 'SIGKILL');
      }
    }
    // Also covers an exit already being handled when stop was called.
    await within(this.#exited, 5000);
    // Whatever left the process group but not the cgroup goes too.
    for (const member of cgroupMembers(this.#setup.cgroupDirs)) signalProcess(member, 'SIGKILL');
    this.#state = 'stopped';
    this.#message = 'stopped';
  }

  /** Stops the app and removes its cgroups and record; the log ends. Idempotent. */
  destroy(): Promise<void> {
    this.#destroyed ??= (async () => {
      await this.stop();
      await removeCgroups(this.#setup.cgroupDirs);
      this.#setup.records.remove(this.#setup.key);
      this.#log('system', 'destroyed');
      this.logs.end();
    })();
    return this.#destroyed;
  }

  #log(stream: LogLine['stream'], text: string): void {
    this.logs.push(stream, text);
  }

  #launch(): void {
    const { artifact, spec, host, port, cgroups, prlimit, runAs } = this.#setup;
    this.#restartTimer = undefined;
    this.#nextRestartAt = undefined;
    this.#state =
      this.#quickCrashes >= this.#setup.options.restart.crashLoopAfter ? 'crash-loop' : 'starting';
    this.#health.reset();
    this.#message = undefined;
    this.#oomKillsAtStart = cgroups?.oomKills() ?? 0;
    const plan = planLaunch({ artifact, spec, host, port, cgroups, prlimit });
    let child: ChildProcess;
    try {
      child = spawn(plan.file, plan.args, {
        cwd: artifact.ref,
        env: plan.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      });
    } catch (error) {
      this.#failToStart(error as NodeJS.ErrnoException);
      return;
    }
    this.#child = child;
    const closed = once(child, 'close').catch(() => undefined);
    let markExited = (): void => {};
    this.#exited = new Promise((resolve) => {
      markExited = resolve;
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      markExited();
      this.#failToStart(error);
    });
    child.once('exit', (code, signal) => {
      void this.#onExit(child, code, signal, closed).finally(markExited);
    });
    const pid = child.pid;
    if (pid === undefined) return; // The 'error' event reports why.
    if (cgroups && !cgroups.join(pid)) {
      this.#log(
        'system',
        'could not move the process into its cgroups: memory and process limits may not apply',
      );
    }
    this.#startedAt = Date.now();
    this.#record(pid);
    const user = runAs ? ` as ${runAs.user}` : '';
    const limits = plan.limits.length > 0 ? `; limits: ${plan.limits.join(', ')}` : '';
    const command = artifact.start?.command.join(' ');
    this.#log('system', `started "${command}" as pid ${pid}${user} on port ${port}${limits}`);
    this.#pipe(child.stdout, 'stdout');
    this.#pipe(child.stderr, 'stderr');
    this.#scheduleProbe(Math.min(spec.healthCheck.intervalMs, 100));
  }

  #pipe(stream: Readable | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    const splitter = new LineSplitter(this.#setup.options.maxLineLength, (line) => this.#log(name, line));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => splitter.push(chunk));
    stream.on('end', () => splitter.end());
    stream.on('error', () => splitter.end());
  }

  #failToStart(error: NodeJS.ErrnoException): void {
    clearTimeout(this.#probeTimer);
    const command = this.#setup.artifact.start?.command[0] ?? '(none)';
    this.#wanted = false;
    this.#state = 'failed';
    this.#message = describeSpawnError(command, error, this.#setup.runAs?.user);
    this.#log('system', this.#message);
    this.#record(undefined);
  }

  async #onExit(
    child: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
    closed: Promise<unknown>,
  ): Promise<void> {
    if (this.#child !== child) return;
    this.#child = undefined;
    clearTimeout(this.#probeTimer);
    // What the app started goes with it, so a restart finds its port and memory free.
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    const uptime = Date.now() - this.#startedAt;
    const { cgroups, spec, options } = this.#setup;
    const oom = cgroups?.memory === true && cgroups.oomKills() > this.#oomKillsAtStart;
    const how = describeExit(code, signal, uptime, oom ? spec.resources?.memoryMb : undefined);
    this.#message = how;
    // Let the last output lines arrive before the exit is logged, but never wait long.
    await within(closed, 1000);
    // A start() while waiting launched a new process: it owns the state now.
    if (this.#child) return;
    this.#record(undefined);
    if (!this.#wanted) {
      this.#state = 'stopped';
      this.#message = 'stopped';
      this.#log('system', `stopped: ${how}`);
      return;
    }
    this.#quickCrashes = quickCrashCount(options.restart, this.#quickCrashes, uptime);
    const delay = restartDelay(options.restart, this.#quickCrashes);
    const looping = this.#quickCrashes >= options.restart.crashLoopAfter;
    this.#state = looping ? 'crash-loop' : 'starting';
    this.#crashLoop = `crashed ${this.#quickCrashes} times in a row soon after starting (last: ${how})`;
    this.#message = looping
      ? `${how}; crashed ${this.#quickCrashes} times in a row soon after starting, next restart in ${formatDelay(delay)}`
      : `${how}; restarting in ${formatDelay(delay)}`;
    this.#nextRestartAt = Date.now() + delay;
    this.#log('system', this.#message);
    this.#restartTimer = setTimeout(() => {
      this.#restarts += 1;
      this.#launch();
    }, delay);
  }

  #scheduleProbe(delayMs: number): void {
    this.#probeTimer = setTimeout(() => void this.#probe(), delayMs);
  }

  async #probe(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const { host, port, spec } = this.#setup;
    const { path, intervalMs } = spec.healthCheck;
    const result = await probeHttp(host, port, path, Math.min(5000, Math.max(1000, intervalMs)));
    if (this.#child !== child || !this.#wanted) return;
    const change = this.#health.apply(result);
    if (change === 'healthy') {
      this.#state = 'running';
      this.#log('system', `healthy: GET ${path} answers on port ${port}`);
    }
    if (change === 'unhealthy') this.#log('system', this.#health.message ?? 'unhealthy');
    this.#scheduleProbe(intervalMs);
  }

  #record(pid: number | undefined): void {
    const startTime = pid === undefined ? undefined : processStartTime(pid);
    const { key, spec, cgroupDirs, records } = this.#setup;
    try {
      records.write(key, {
        deploymentId: spec.deploymentId,
        cgroups: cgroupDirs,
        ...(pid !== undefined && startTime !== undefined ? { process: { pid, startTime } } : {}),
      });
    } catch (error) {
      this.#log(
        'system',
        `could not record the process (${(error as Error).message}); a server restart may leave it running`,
      );
    }
  }
}
