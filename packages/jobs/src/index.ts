export { type Backoff, type BackoffOptions, exponentialBackoff } from './backoff.ts';
export { isLeaseLost } from './conditions.ts';
export { JobStoppedError, type StopReason } from './job-lease.ts';
export { projectEnvironmentKey } from './keys.ts';
export { describeError, isRetryable } from './outcome.ts';
export { JobQueue, type JobQueueOptions, leaseExpiredError } from './queue.ts';
export type { ClaimInput, EnqueueInput, FailOptions, Job, ListInput } from './types.ts';
export { JobWaker } from './waker.ts';
export { type JobContext, type JobHandler, Worker, type WorkerOptions } from './worker.ts';
