import pLimit from 'p-limit';
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
  /** False offline: every row is processed synchronously, without the pool. */
  readonly online: boolean;
  /** Called when a fatal error stops the stage, to cancel the requests still in flight. */
  readonly onFatal?: (error: unknown) => void;
}

/**
 * The pipeline stage between csv-parse and the report sink: CSV records in (the first is the
 * header), one ReportedRow out per row, in completion order. At most `concurrency` rows are in
 * flight; while the pool is full the stage stops pulling records, so the parser and the file
 * stream stop too (backpressure). p-limit's own queue is unbounded, so the stage counts what it
 * handed to p-limit and has not seen settle (activeCount + pendingCount, plus tasks settling):
 * p-limit decrements activeCount a few microtasks after a task's promise settles, and waiting
 * on it could miss the last wake-up. Like stream-transform's `running < parallel` (STYLE.md).
 */
export function importStage(processor: RowProcessor, options: ImportStageOptions) {
  return async function* stage(records: AsyncIterable<string[]>): AsyncGenerator<ReportedRow> {
    const limit = pLimit(Math.max(1, options.concurrency));
    const ready: ReportedRow[] = [];
    const inFlight = new Set<Promise<void>>();
    let fatal: { error: unknown } | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const waitForOne = () => new Promise<void>((resolve) => (wake = resolve));

    let seenHeader = false;
    let row = 0;
    try {
      for await (const fields of records) {
        if (!seenHeader) {
          seenHeader = true;
          continue;
        }
        row++;
        if (options.limit !== undefined && row > options.limit) continue;
        if (!options.online) {
          yield { report: processor.process(row, fields) as RowReport, fields };
          continue;
        }
        const n = row;
        const task: Promise<void> = limit(() => processor.process(n, fields)).then(
          (report) => {
            ready.push({ report, fields });
          },
          (error: unknown) => {
            if (!fatal) {
              fatal = { error };
              options.onFatal?.(error);
            }
          },
        );
        inFlight.add(task);
        void task.finally(() => {
          inFlight.delete(task);
          notify();
        });
        while (ready.length > 0) yield ready.shift() as ReportedRow;
        while (!fatal && inFlight.size >= options.concurrency) {
          await waitForOne();
          while (ready.length > 0) yield ready.shift() as ReportedRow;
        }
        if (fatal) throw fatal.error;
      }
      while (inFlight.size > 0 && !fatal) {
        await waitForOne();
        while (ready.length > 0) yield ready.shift() as ReportedRow;
      }
      while (ready.length > 0) yield ready.shift() as ReportedRow;
      if (fatal) throw fatal.error;
    } finally {
      // Interrupted or failed: let the requests in flight settle (they are being cancelled) so
      // nothing writes to the journal after the run has closed it.
      await Promise.allSettled([...inFlight]);
    }
  };
}
