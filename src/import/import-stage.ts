import { Transform, type TransformCallback } from 'node:stream';
import pLimit, { type LimitFunction } from 'p-limit';
import { unescapeFormula } from '../report/formulas.js';
import type { RowReport } from './row-result.js';
import type { RowProcessor } from './row-processor.js';

/** A row's report with its original fields, for the report files. */
export interface ReportedRow {
  readonly report: RowReport;
  readonly fields: readonly string[];
}

export interface ImportStageOptions {
  /** Rows in flight at most; 1 or more. */
  readonly concurrency: number;
  /** Process the first N rows only; later records are read (and ignored) to the end. */
  readonly limit?: number | undefined;
  /** Called when a fatal error stops the stage, to cancel the requests still in flight. */
  readonly onFatal?: (error: unknown) => void;
  /** The input is a file this tool wrote with formula escaping: take the prefix off every cell. */
  readonly unescapeFormulas?: boolean;
}

/**
 * The pipeline stage between csv-parse and the report sink: CSV records in (the first is the
 * header), one ReportedRow out per row, in completion order. A row that needs no request
 * (offline, or failed before any) goes straight through. The network half of the others runs
 * in a p-limit pool; while `2 x concurrency` rows are in flight the stage holds the stream
 * callback, so csv-parse and the file stream stop (backpressure) and memory stays flat whatever
 * the file's size. Like stream-transform's `running < parallel` (STYLE.md). The stage counts its
 * rows in flight itself (p-limit lowers its own counts a few microtasks after a task settles).
 */
export class ImportStage extends Transform {
  private readonly pool: LimitFunction;
  private readonly inFlight = new Set<Promise<void>>();
  /** Rows handed to the pool and not yet settled. */
  private rowsInFlight = 0;
  private stopped = false;
  private row = 0;
  private seenHeader = false;
  private held: TransformCallback | undefined;
  private flushed: TransformCallback | undefined;
  private fatal: { error: unknown } | undefined;
  /** Rows pushed to the sink so far. */
  pushed = 0;

  constructor(
    private readonly processor: RowProcessor,
    private readonly options: ImportStageOptions,
  ) {
    super({ objectMode: true, highWaterMark: 16 });
    this.pool = pLimit(Math.max(1, options.concurrency));
  }

  override _transform(record: string[], _encoding: BufferEncoding, callback: TransformCallback): void {
    const fields = this.options.unescapeFormulas ? record.map(unescapeFormula) : record;
    if (!this.seenHeader) {
      this.seenHeader = true;
      callback();
      return;
    }
    const row = ++this.row;
    // Stopping: the rest of the file is left for --resume.
    if (this.stopped || (this.options.limit !== undefined && row > this.options.limit)) {
      callback();
      return;
    }
    let out: ReturnType<RowProcessor['process']>;
    try {
      out = this.processor.process(row, fields);
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (!(typeof out === 'function')) {
      this.emitRow({ report: out, fields });
      callback();
      return;
    }
    const send = out;
    this.rowsInFlight++;
    const task = this.pool(() => (this.stopped ? Promise.resolve(undefined) : send()))
      .then(async (result) => {
        // A row still queued when the run stopped is not started: --resume sends it.
        if (result === undefined) return;
        // Reported only once its journal entry is written (the pool slot is already free).
        await result.committed;
        if (!this.fatal) this.emitRow({ report: result.report, fields });
      })
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.rowsInFlight--;
        this.inFlight.delete(task);
        this.release();
      });
    this.inFlight.add(task);
    if (this.full()) this.held = callback;
    else callback();
  }

  private emitRow(row: ReportedRow): void {
    this.pushed++;
    this.push(row);
  }

  override _flush(callback: TransformCallback): void {
    if (this.fatal) callback(this.fatal.error as Error);
    else if (this.rowsInFlight === 0) callback();
    else this.flushed = callback;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    void this.settled().then(() => callback(error));
  }

  /**
   * Stop gracefully: no row starts any more (rows queued in the pool are left for --resume), the
   * rows already sending finish and are reported. Resolves once they have settled.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const callback = this.held;
    this.held = undefined;
    callback?.();
    await this.settled();
  }

  /**
   * Stop starting rows, and resolve once the rows already started have settled. The run awaits
   * this before it closes the reports and the state file: pipeline() rejects as soon as any
   * stage fails (a CSV syntax error, Ctrl-C), while rows may still be sending, and a row that
   * went out must not find its journal closed (found in review: records created, no report).
   */
  async settled(): Promise<void> {
    this.stopped = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private full(): boolean {
    return this.rowsInFlight >= 2 * this.options.concurrency;
  }

  private release(): void {
    if (this.fatal) return;
    if (this.held && !this.full()) {
      const callback = this.held;
      this.held = undefined;
      callback();
    }
    if (this.flushed && this.rowsInFlight === 0) {
      const callback = this.flushed;
      this.flushed = undefined;
      callback();
    }
  }

  private fail(error: unknown): void {
    if (this.fatal) return;
    this.fatal = { error };
    this.options.onFatal?.(error);
    const callback = this.held ?? this.flushed;
    this.held = undefined;
    this.flushed = undefined;
    if (callback) callback(error as Error);
    else this.destroy(error as Error);
  }
}
