import { Writable } from 'node:stream';
import type { ReportWriter } from '../report/report-writer.js';
import { countOutcome, type SummaryCounts } from '../report/summary.js';
import type { ReportedRow } from './import-stage.js';

/**
 * The end of the pipeline: each row to success.csv or errors.csv, counted in the summary.
 * Waits for the files when they fall behind. On an error or interruption it still flushes what
 * was written, so the reports of an interrupted run hold every row finished before it stopped.
 */
export class ReportSink extends Writable {
  constructor(
    private readonly writer: ReportWriter,
    private readonly summary: SummaryCounts,
    private readonly onRow?: (row: ReportedRow) => void,
  ) {
    super({ objectMode: true, highWaterMark: 64 });
  }

  override _write(item: ReportedRow, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const { report, fields } = item;
    countOutcome(this.summary, report.outcome === 'validated' ? undefined : report.outcome);
    this.onRow?.(item);
    const wait =
      report.outcome === 'failed'
        ? this.writer.writeError(
            { row: report.row, key: report.key, stage: report.stage ?? '', code: report.code ?? '', error: report.error ?? '' },
            fields,
          )
        : this.writer.writeSuccess(
            { row: report.row, key: report.key, action: report.outcome === 'validated' ? '' : report.outcome, id: report.id ?? '' },
            fields,
          );
    if (wait) wait.then(() => callback(), callback);
    else callback();
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
