import { Writable } from 'node:stream';
import type { ReportWriter } from '../report/report-writer.js';
import { countOutcome, type SummaryCounts } from '../report/summary.js';
import type { ReportedRow } from './import-stage.js';
import { ErrorGrouper } from '../report/run-report/error-grouper.js';

/** Stages where a failure cost the server a request: what --max-errors counts. */
const NETWORK_STAGES = new Set(['reference', 'match', 'send']);

export interface ReportSinkOptions {
  /**
   * Stop after this many consecutive row failures with the same code at a network stage (a run
   * whose rows all fail the same way should not send the rest). Undefined: never.
   */
  readonly maxErrors?: number | undefined;
  /** Called once when --max-errors trips, with why. */
  readonly onTooManyErrors?: (reason: string) => void;
  readonly onRow?: (row: ReportedRow) => void;
  /** The input's header: a failed row's example values in report.html are read by it. */
  readonly header?: readonly string[];
}

/**
 * The end of the pipeline: each row to success.csv or errors.csv, counted in the summary.
 * Waits for the files when they fall behind. On an error or interruption it still flushes what
 * was written, so the reports of an interrupted run hold every row finished before it stopped.
 */
export class ReportSink extends Writable {
  private written = 0;
  private waiter: { count: number; resolve: () => void } | undefined;
  private streak = { code: '', count: 0, message: '' };
  private tripped = false;
  /** Failed rows by code, a few examples each (report.html, the terminal's digest). */
  readonly errors = new ErrorGrouper();

  constructor(
    private readonly writer: ReportWriter,
    private readonly summary: SummaryCounts,
    private readonly options: ReportSinkOptions = {},
  ) {
    super({ objectMode: true, highWaterMark: 64 });
  }

  override _write(item: ReportedRow, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const { report, fields } = item;
    countOutcome(this.summary, report.outcome === 'validated' ? undefined : report.outcome);
    this.options.onRow?.(item);
    this.watchErrors(item);
    if (report.outcome === 'failed') {
      const header = this.options.header ?? [];
      const values = () => Object.fromEntries(header.map((name, i) => [name, fields[i] ?? '']));
      this.errors.add({ row: report.row, key: report.key, stage: report.stage ?? '', code: report.code ?? '', message: report.error ?? '', values });
    }
    const wait =
      report.outcome === 'failed'
        ? this.writer.writeError(
            { row: report.row, key: report.key, stage: report.stage ?? '', code: report.code ?? '', error: report.error ?? '' },
            fields,
          )
        : this.writer.writeSuccess(
            { row: report.row, key: report.key, action: report.outcome === 'validated' ? '' : report.outcome, id: report.id ?? '', note: report.note },
            fields,
          );
    const done = () => {
      this.written++;
      if (this.waiter && this.written >= this.waiter.count) {
        const { resolve } = this.waiter;
        this.waiter = undefined;
        resolve();
      }
      callback();
    };
    if (wait) wait.then(done, callback);
    else done();
  }

  private watchErrors({ report }: ReportedRow): void {
    const max = this.options.maxErrors;
    if (max === undefined || this.tripped) return;
    if (report.outcome !== 'failed' || !NETWORK_STAGES.has(report.stage ?? '')) {
      if (report.outcome !== 'failed') this.streak = { code: '', count: 0, message: '' };
      return;
    }
    const code = report.code ?? '';
    this.streak = code === this.streak.code ? { code, count: this.streak.count + 1, message: report.error ?? '' } : { code, count: 1, message: report.error ?? '' };
    if (this.streak.count >= max) {
      this.tripped = true;
      this.options.onTooManyErrors?.(`${max} rows in a row failed with ${code}, the last one (row ${report.row}): ${this.streak.message}`);
    }
  }

  /** Resolves once `count` rows have been written (the rows the stage pushed before it stopped). */
  caughtUp(count: number): Promise<void> {
    if (this.written >= count) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = { count, resolve }));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.writer.close().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.writer.close().then(
      () => callback(error),
      () => callback(error),
    );
  }
}
