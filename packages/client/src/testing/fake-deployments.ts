import { EventEmitter } from 'node:events';
import type {
  Deployment,
  DeploymentInstance,
  DeploymentState,
  LogLineEvent,
  LogSource,
  LogStream,
  StateEvent,
} from '../deployment-types.ts';
import { isFinalState } from '../deployment-types.ts';
import type { Project } from '../types.ts';

/** Hostnames of the fake's URLs end with this. */
export const fakeBaseDomain = 'fake.helix.test';

/** One step of a scripted build: a state change, a log line, or both. */
export interface FakeStep {
  state?: DeploymentState;
  errorMessage?: string;
  log?: string;
  source?: LogSource;
  stream?: LogStream;
}

export type DeployScript = (deployment: Deployment) => FakeStep[];

/** What the fake does by default: a short build log, then READY with a running instance. */
export const readyScript: DeployScript = () => [
  { state: 'BUILDING' },
  { log: 'Detected a Node.js app (npm)', source: 'build' },
  { log: '> npm run build', source: 'build' },
  { log: 'build finished', source: 'build' },
  { state: 'DEPLOYING' },
  { log: 'starting 1 instance', source: 'system', stream: 'system' },
  { log: 'listening on port 3000', source: 'runtime' },
  { state: 'READY' },
];

/** A build that fails with `message`. */
export function failingScript(message: string): DeployScript {
  return () => [
    { state: 'BUILDING' },
    { log: 'npm error missing script: build', source: 'build', stream: 'stderr' },
    { state: 'ERROR', errorMessage: message },
  ];
}

export type TimelineEvent = LogLineEvent | StateEvent;

export interface FakeDeployment extends Deployment {
  lines: LogLineEvent[];
}

/** The deployments of the fake API, moved through their script with a short pause per step. */
export class FakeDeployments {
  readonly all: FakeDeployment[] = [];
  /** Replace to script the next deployments, e.g. with failingScript(). */
  script: DeployScript = readyScript;
  /** Long enough that a client following at once sees every state, even on a busy machine. */
  stepDelayMs = 40;
  readonly #changes = new EventEmitter().setMaxListeners(0);
  #seq = 0;

  find(id: string): FakeDeployment | undefined {
    return this.all.find((deployment) => deployment.id === id);
  }

  add(deployment: FakeDeployment, project: Project, now: () => string): void {
    this.all.push(deployment);
    void this.#run(deployment, project, now);
  }

  async #run(deployment: FakeDeployment, project: Project, now: () => string): Promise<void> {
    for (const step of this.script(deployment)) {
      await new Promise((resolve) => setTimeout(resolve, this.stepDelayMs));
      if (step.log !== undefined) this.appendLog(deployment, step, now());
      if (step.state) this.setState(deployment, step.state, step.errorMessage ?? null, project, now());
    }
  }

  appendLog(deployment: FakeDeployment, step: FakeStep, time: string): void {
    this.#seq += 1;
    const source = step.source ?? 'build';
    const stream = step.stream ?? (source === 'system' ? 'system' : 'stdout');
    const line: LogLineEvent = { type: 'log', seq: this.#seq, time, source, stream, text: step.log ?? '' };
    deployment.lines.push(line);
    this.#changes.emit(deployment.id, line);
  }

  setState(
    deployment: FakeDeployment,
    state: DeploymentState,
    errorMessage: string | null,
    project: Project,
    time: string,
  ): void {
    Object.assign(deployment, { state, errorMessage, updatedAt: time });
    if (state === 'READY') {
      deployment.readyAt = time;
      deployment.instance = { state: 'running', healthy: true, restarts: 0 };
      if (deployment.environment === 'production') project.productionDeploymentId = deployment.id;
    }
    this.#changes.emit(deployment.id, { type: 'state', state, errorMessage });
  }

  setInstance(deployment: FakeDeployment, instance: DeploymentInstance): void {
    deployment.instance = instance;
  }

  /** The READY production deployment made before the current production one, as rollback picks it. */
  previousProduction(project: Project): FakeDeployment | undefined {
    const current = this.all.findIndex((deployment) => deployment.id === project.productionDeploymentId);
    const before = current < 0 ? this.all : this.all.slice(0, current);
    return before.findLast(
      (deployment) =>
        deployment.projectId === project.id &&
        deployment.environment === 'production' &&
        deployment.state === 'READY',
    );
  }

  /** Calls `listener` for every new line and state change of a deployment until unsubscribed. */
  subscribe(id: string, listener: (event: TimelineEvent) => void): () => void {
    this.#changes.on(id, listener);
    return () => this.#changes.off(id, listener);
  }

  isFinal(deployment: Deployment): boolean {
    return isFinalState(deployment.state);
  }
}
