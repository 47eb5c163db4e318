import type { LogLine, OperationContext, Scope } from '@helixstack/sdk';

export interface RecordedLine {
  stream: LogLine['stream'];
  text: string;
  /**
   * Event-loop turn the line arrived in: lines written in one synchronous burst share a
   * turn, so a builder that buffers its output and prints it at the end shows one turn.
   */
  turn: number;
}

export interface RecordingContext {
  ctx: OperationContext;
  lines: RecordedLine[];
  progress: string[];
  /** Aborts ctx.signal, as a user's cancel does. */
  controller: AbortController;
  /** Called on each output line (say, to abort once a build prints "started"). */
  onLine?: (line: RecordedLine) => void;
  text(): string;
}

/** An OperationContext that keeps what a plug-in reports, for assertions. */
export function recordingContext(
  scope: Scope = { org: 'acme', project: 'web', environment: 'production' },
): RecordingContext {
  const controller = new AbortController();
  const lines: RecordedLine[] = [];
  const progress: string[] = [];
  let turn = 0;
  let turnScheduled = false;
  const noop = (): void => {};
  const recording: RecordingContext = {
    lines,
    progress,
    controller,
    text: () => lines.map((line) => line.text).join('\n'),
    ctx: {
      logger: { debug: noop, info: noop, warn: noop, error: noop },
      signal: controller.signal,
      scope,
      progress: (message) => progress.push(message),
      output(stream, text) {
        const line = { stream, text, turn };
        lines.push(line);
        if (!turnScheduled) {
          turnScheduled = true;
          setImmediate(() => {
            turn += 1;
            turnScheduled = false;
          });
        }
        recording.onLine?.(line);
      },
    },
  };
  return recording;
}
