import { EventEmitter, on } from 'node:events';
import { type Database, logLines } from '@helixstack/db';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';

export type LogSource = 'build' | 'runtime' | 'system';
export type LogStream = 'stdout' | 'stderr' | 'system';

export interface StoredLogLine {
  seq: number;
  time: string;
  source: LogSource;
  stream: LogStream;
  text: string;
}

export interface NewLogLine {
  source: LogSource;
  stream: LogStream;
  text: string;
  time?: Date;
}

/** Lines longer than this are cut: one runaway line must not fill the database. */
const maxLineLength = 16 * 1024;
/** Without a wake-up from this process (another process wrote), followers poll this often. */
const pollMs = 1000;

/**
 * Build and runtime logs of deployments. Writers append; readers page from a cursor (the
 * line's seq) and followers are woken as soon as a line is stored.
 */
export class LogStore {
  readonly #db: Database;
  readonly #appended = new EventEmitter().setMaxListeners(0);

  constructor(db: Database) {
    this.#db = db;
  }

  async append(deploymentId: string, lines: NewLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.#db.insert(logLines).values(
      lines.map((line) => ({
        deploymentId,
        source: line.source,
        stream: line.stream,
        text: line.text.length > maxLineLength ? `${line.text.slice(0, maxLineLength)}…` : line.text,
        time: line.time ?? new Date(),
      })),
    );
    this.#appended.emit(deploymentId);
  }

  async read(
    deploymentId: string,
    options: { after?: number; limit?: number; sources?: LogSource[] } = {},
  ): Promise<StoredLogLine[]> {
    const rows = await this.#db
      .select()
      .from(logLines)
      .where(
        and(
          eq(logLines.deploymentId, deploymentId),
          options.after === undefined ? undefined : gt(logLines.seq, options.after),
          options.sources ? inArray(logLines.source, options.sources) : undefined,
        ),
      )
      .orderBy(asc(logLines.seq))
      .limit(options.limit ?? 1000);
    return rows.map((row) => ({
      seq: row.seq,
      time: row.time.toISOString(),
      source: row.source,
      stream: row.stream,
      text: row.text,
    }));
  }

  /** Resolves when a line for the deployment is appended in this process, or after the poll interval. */
  async waitForLines(deploymentId: string, signal: AbortSignal): Promise<void> {
    const wake = new AbortController();
    const timer = setTimeout(() => wake.abort(), pollMs);
    const stop = () => wake.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const _ of on(this.#appended, deploymentId, { signal: wake.signal })) return;
    } catch {
      // Timed out or aborted: the caller reads again either way.
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }
}
