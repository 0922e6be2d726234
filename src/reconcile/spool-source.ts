/**
 * The source side of a reconcile: every row of the CSV, prepared as the import would prepare it
 * (source-rows.ts), into the join spool with its original fields. A stream from the file to the
 * spool: look-up references in flight are bounded, and the parser waits while they catch up.
 */
import { CsvError } from 'csv-parse';
import type { WapiClient } from '../client/wapi-client.js';
import { WapiBulkError } from '../protocol/errors.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import { createParser, csvSyntaxError, scanCsv } from '../import/csv-input.js';
import { decodedStream } from '../import/input-file.js';
import { RecordFinder } from '../import/record-finder.js';
import { unescapeFormula } from '../report/formulas.js';
import { reportPrefixLength } from '../report/report-columns.js';
import type { CrmScope } from '../state/crm-scope.js';
import type { StateStore } from '../state/state-store.js';
import type { JoinSpool } from './join-spool.js';
import type { SourceFile } from '../import/read-source.js';
import { SourceRows, type SourceRow } from './source-rows.js';

export interface SpoolSourceOptions {
  readonly file: string;
  readonly source: SourceFile;
  readonly lists: TenantLists | undefined;
  readonly state: StateStore;
  readonly scope: CrmScope;
  readonly client: WapiClient;
  readonly spool: JoinSpool;
  /** Look-up references in flight: twice this at most. */
  readonly concurrency: number;
  readonly signal?: AbortSignal | undefined;
  /** Rows read and rows valid so far, updated as the rows go. */
  readonly counts: { rows: number; valid: number };
  /** After each row (and once at the end): may throw to stop the read. */
  readonly onRow: () => void;
}

export async function spoolSource(o: SpoolSourceOptions): Promise<void> {
  const { mapping, header, input, ownEscaped } = o.source;
  const rows = new SourceRows({ mapping, header, lists: o.lists, state: o.state, scope: o.scope, finder: new RecordFinder(o.client, o.signal) });
  // A report fed back in (errors.csv) keeps its own columns out of the files, as the import does.
  const skip = reportPrefixLength(header);
  const store = (row: SourceRow, fields: readonly string[]): void => {
    if (row.kind === 'valid') o.counts.valid++;
    o.spool.addSource({ ...row, original: skip === 0 ? fields : fields.slice(skip) });
  };
  const stream = decodedStream(o.file, input.encoding, mapping.csv.bom);
  const parser = createParser(mapping.csv);
  stream.on('error', (error) => parser.destroy(error));
  stream.pipe(parser);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let seenHeader = false;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!seenHeader) {
        seenHeader = true;
        continue;
      }
      if (failure) throw failure.error;
      if (o.signal?.aborted) throw new WapiBulkError('WAPI_ABORTED', 'the reconcile was cancelled');
      const row = ++o.counts.rows;
      const fields = ownEscaped ? record.map(unescapeFormula) : record;
      const out = rows.prepare(row, fields);
      if (out instanceof Promise) {
        const task = out.then(
          (r) => store(r, fields),
          (error: unknown) => void (failure ??= { error }),
        );
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        if (inFlight.size >= 2 * o.concurrency) await Promise.race(inFlight);
      } else {
        store(out, fields);
      }
      o.onRow();
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    o.spool.flush();
    o.onRow();
  } catch (error) {
    await Promise.allSettled(inFlight);
    stream.destroy();
    parser.destroy();
    // The line a broken record starts on, which the streaming parser no longer knows.
    if (error instanceof CsvError) throw await scanCsv(o.file, mapping.csv, input.encoding, Infinity).then(() => csvSyntaxError(o.file, error), (e: unknown) => e);
    throw error;
  }
}
