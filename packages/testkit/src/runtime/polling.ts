import type { InstanceStatus, OperationContext, Runtime, RuntimeHandle } from '@helixstack/sdk';

export interface PollOptions {
  deadlineMs?: number;
  intervalMs?: number;
}

/**
 * Polls `status` like the host does until `accept` returns true; fails with the last status
 * seen when the deadline passes, so a test failure says what the runtime reported.
 */
export async function waitForStatus(
  runtime: Runtime,
  ctx: OperationContext,
  handle: RuntimeHandle,
  accept: (status: InstanceStatus) => boolean,
  options: PollOptions = {},
): Promise<InstanceStatus> {
  const { deadlineMs = 20_000, intervalMs = 50 } = options;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const status = await runtime.status(ctx, handle);
    if (accept(status)) return status;
    if (Date.now() > deadline) {
      throw new Error(
        `The runtime did not reach the expected status in time; last: ${JSON.stringify(status)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits for a condition outside the runtime (a file, a process) with the same deadline rule. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: PollOptions = {},
): Promise<void> {
  const { deadlineMs = 20_000, intervalMs = 50 } = options;
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The next item of an async iterator, or a clear failure when none comes before the deadline. */
export async function nextWithin<T>(
  iterator: AsyncIterator<T>,
  deadlineMs: number,
  what: string,
): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), deadlineMs);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
