/** Shapes of the deploy loop of the /v1 API: sources, deployments, logs, the production alias. */
import type { PageOptions } from './types.ts';

export type DeploymentState = 'QUEUED' | 'BUILDING' | 'DEPLOYING' | 'READY' | 'ERROR' | 'CANCELED';

export const finalDeploymentStates: readonly DeploymentState[] = ['READY', 'ERROR', 'CANCELED'];

/** READY, ERROR and CANCELED never change again. */
export function isFinalState(state: string): boolean {
  return (finalDeploymentStates as readonly string[]).includes(state);
}

/** One entry of a source manifest, as the source library collects it (wire shape). */
export type SourceFileEntry =
  | { path: string; size: number; mode: number; sha256: string }
  | { path: string; symlinkTarget: string };

export type DeploymentSource =
  | { type: 'upload'; files: readonly SourceFileEntry[] }
  | { type: 'git'; url: string; ref: string };

export interface SourceCheck {
  /** The source id (the manifest digest). */
  digest: string;
  /** The blob digests of the manifest the server does not have yet. */
  missing: string[];
}

export interface PutBlobResult {
  digest: string;
  /** false when the server already had the blob (HTTP 200 rather than 201). */
  stored: boolean;
}

export interface DeploymentInput {
  /** Environment name; the server defaults to preview. */
  environment?: string;
  source: DeploymentSource;
  /** Deploy-time variables that override the environment's for this deployment only. */
  env?: Record<string, string>;
  branch?: string;
  meta?: Record<string, string>;
}

export type InstanceState = 'starting' | 'running' | 'crash-loop' | 'stopped' | 'failed';

export interface DeploymentInstance {
  state: InstanceState;
  healthy: boolean;
  restarts: number;
  message?: string;
  /** When a crash-looping instance is started again. */
  nextRestartAt?: string;
}

export interface DeploymentUrls {
  deployment: string;
  branch?: string;
  /** Present while this deployment serves production. */
  production?: string;
}

export interface Deployment {
  id: string;
  projectId: string;
  project: string;
  environment: string;
  state: DeploymentState;
  /** The immutable URL of this deployment. */
  url: string;
  urls: DeploymentUrls;
  branch: string | null;
  source: Record<string, unknown>;
  meta: Record<string, string>;
  errorMessage: string | null;
  plan?: { builder: string; summary: string };
  artifact?: { kind: string; digest: string };
  instance?: DeploymentInstance;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
}

export interface DeploymentListOptions extends PageOptions {
  environment?: string;
  state?: DeploymentState;
}

/** What promote and rollback answer: where the production alias points now. */
export interface ProductionAlias {
  production: { deploymentId: string; url: string };
}

export type LogSource = 'build' | 'runtime' | 'system';
export type LogStream = 'stdout' | 'stderr' | 'system';

export const logSources: readonly LogSource[] = ['build', 'runtime', 'system'];

export interface LogLineEvent {
  type: 'log';
  /** Increases along a deployment's log; pass the last one seen as `after` to resume. */
  seq: number;
  time: string;
  source: LogSource;
  stream: LogStream;
  text: string;
}

/** Sent once when the stream opens and whenever the deployment's state changes. */
export interface StateEvent {
  type: 'state';
  state: DeploymentState;
  errorMessage?: string | null;
}

/** Keeps an idle connection visibly alive (every 15 s). */
export interface PingEvent {
  type: 'ping';
}

export type LogEvent = LogLineEvent | StateEvent | PingEvent;

export interface LogStreamOptions {
  /** Resume after this seq (exclusive). */
  after?: number;
  /** Keep the stream open for new lines (default false: end after the stored lines). */
  follow?: boolean;
  /** With follow: end once the deployment is READY, ERROR or CANCELED. */
  until?: 'final';
  source?: LogSource;
  signal?: AbortSignal;
  /** A stream silent for this long (no line, no ping) counts as dropped; default 60 s. */
  idleTimeoutMs?: number;
}
