import type { LogStore } from '@helixstack/logs';
import type { InstanceStatus, OperationContext, Runtime, RuntimeHandle } from '@helixstack/sdk';
import { LogWriter } from './log-writer.ts';

interface Instance {
  runtime: Runtime;
  handle: RuntimeHandle;
  status: InstanceStatus;
  /** Stops copying the instance's output into the log store. */
  stopLogs: AbortController;
}

/**
 * The instances this process started, with their last status. The route table reads
 * endpoints from here; after a restart it starts empty and the reconciler refills it.
 */
export class Instances {
  readonly #instances = new Map<string, Instance>();
  readonly #logs: LogStore;

  constructor(logs: LogStore) {
    this.#logs = logs;
  }

  get(deploymentId: string): Instance | undefined {
    return this.#instances.get(deploymentId);
  }

  /** Records a deployed instance and copies its output into the deployment's runtime log. */
  add(deploymentId: string, runtime: Runtime, handle: RuntimeHandle, ctx: OperationContext): Instance {
    this.#instances.get(deploymentId)?.stopLogs.abort();
    const stopLogs = new AbortController();
    const instance: Instance = {
      runtime,
      handle,
      status: { state: 'starting', healthy: false, endpoints: [], restarts: 0 },
      stopLogs,
    };
    this.#instances.set(deploymentId, instance);
    void this.#pumpLogs(deploymentId, instance, { ...ctx, signal: stopLogs.signal });
    return instance;
  }

  remove(deploymentId: string): void {
    this.#instances.get(deploymentId)?.stopLogs.abort();
    this.#instances.delete(deploymentId);
  }

  async #pumpLogs(deploymentId: string, instance: Instance, ctx: OperationContext): Promise<void> {
    const writer = new LogWriter(this.#logs, deploymentId);
    try {
      for await (const line of instance.runtime.logs(ctx, instance.handle, { follow: true })) {
        writer.write(
          line.stream === 'system' ? 'system' : 'runtime',
          line.stream,
          line.text,
          new Date(line.time),
        );
      }
    } catch {
      // The instance went away or the pump was stopped; the reconciler restarts what should run.
    } finally {
      await writer.flush();
    }
  }
}
