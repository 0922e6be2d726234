import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, open, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { WapiClient, type ClientConnection } from '../client/wapi-client.js';
import { ConfigError, WapiBulkError } from '../protocol/errors.js';
import { checkHeader } from '../mapping/check-header.js';
import { loadMapping } from '../mapping/load-mapping.js';
import type { Mapping } from '../mapping/types.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import { ReportWriter } from '../report/report-writer.js';
import { emptySummary, writeSummary, type SummaryCounts } from '../report/summary.js';
import type { RunJournal } from '../state/run-journal.js';
import { DEFAULT_STATE_FILE, StateStore, type RunStatus } from '../state/state-store.js';
import { createParser, csvSyntaxError, fingerprintFile, scanCsv } from './csv-input.js';
import { fetchTenantLists } from './fetch-tenant-lists.js';
import { ImportStage } from './import-stage.js';
import { RecordFinder } from './record-finder.js';
import { ReportSink } from './report-sink.js';
import { RowProcessor } from './row-processor.js';
import { RowSender } from './row-sender.js';

export const DEFAULT_CONCURRENCY = 8;
/** Row warnings shown one by one; the rest are counted. */
const SHOWN_WARNINGS = 20;

export interface ImportProgress {
  readonly rows: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Rows the run will process, when a full pass over the file counted them first. */
  readonly total: number | undefined;
  readonly elapsedMs: number;
}

export interface ImportOptions {
  readonly file: string;
  /** A mapping file's path, or a mapping already loaded. */
  readonly mapping: string | Mapping;
  /** Report folder; default `wapi-bulk-out/<mapping name>` under `cwd`. */
  readonly out?: string | undefined;
  /** State file; default `.wapi-bulk/state.sqlite` under `cwd`, shared by every mapping. */
  readonly state?: string | undefined;
  /** The server. Without one the run is offline: mapping and catalogue checks only (validate). */
  readonly connection?: ClientConnection | undefined;
  /** Read (GET) but never write: the reports say what would be added, modified or rejected. */
  readonly dryRun?: boolean | undefined;
  /** Continue the last run of this mapping on this file. */
  readonly resume?: boolean | undefined;
  /** Process the first N rows only. */
  readonly limit?: number | undefined;
  readonly concurrency?: number | undefined;
  /** Requests per second across the pool. */
  readonly rate?: number | undefined;
  readonly retries?: number | undefined;
  readonly timeoutMs?: number | undefined;
  /** After an ADD timed out, how long to wait before looking whether it landed (default 5 s). */
  readonly landingGraceMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  /** Mapping warnings, row warnings, and notes about the run, one message each. */
  readonly onWarning?: ((message: string) => void) | undefined;
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly progressIntervalMs?: number | undefined;
  /** Where the default --out and --state are; default process.cwd(). */
  readonly cwd?: string | undefined;
}

export type ImportMode = 'import' | 'dry-run' | 'offline';

/** summary.json's counts, and where things were written. */
export interface ImportSummary extends SummaryCounts {
  readonly mode: ImportMode;
  readonly mapping: string;
  readonly outDir: string;
  readonly files: { readonly success: string; readonly errors: string; readonly summary: string };
  /** The state file read or written; undefined offline. */
  readonly stateFile: string | undefined;
  /** The run in the state file; undefined for dry runs and offline. */
  readonly runId: number | undefined;
  readonly resumed: boolean;
  readonly warnings: number;
}

function mappingHash(mapping: Mapping): string {
  const { file: _file, warnings: _warnings, ...rest } = mapping;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 32);
}

/**
 * Make the report folder and check its files can be written, before the run starts and before
 * any request: found in review, an unwritable --out was an "internal error" after every row had
 * been sent.
 */
async function checkOutDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    for (const name of ['success.csv', 'errors.csv', 'summary.json']) await (await open(join(dir, name), 'a')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`cannot write the reports in ${dir}: ${code}`, 'give --out a folder you can write to');
  }
}

function headerProblems(file: string, mapping: Mapping, header: readonly string[]): void {
  const missing = checkHeader(mapping, header);
  if (missing.length > 0) {
    throw new ConfigError(
      `${file}: the header lacks ${missing.length === 1 ? 'a column' : `${missing.length} columns`} the mapping reads:\n${missing.join('\n')}`,
      `the header has: ${header.join(', ')}`,
      'CSV_INVALID',
    );
  }
}

/**
 * Import a CSV through a mapping: one `await pipeline(...)` from the file to success.csv,
 * errors.csv and summary.json, with the journal and id map in the state file. Resolves to the
 * summary when the run went through (some rows may have failed); rejects when it could not
 * start or was stopped (a refused login, the server gone, a CSV syntax error, the signal).
 */
export async function importCsv(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const logger = options.logger;
  let warningCount = 0;
  const warn = (message: string) => {
    warningCount++;
    // One channel for people: the caller's, when it has one; the JSON log otherwise.
    if (options.onWarning) {
      logger?.info(message);
      options.onWarning(message);
    } else logger?.warn(message);
  };
  let rowWarnings = 0;
  const rowWarning = (row: number, message: string) => {
    rowWarnings++;
    if (rowWarnings <= SHOWN_WARNINGS) warn(`row ${row}: ${message}`);
    else warningCount++;
  };

  const mapping = typeof options.mapping === 'string' ? await loadMapping(options.mapping) : options.mapping;
  for (const message of mapping.warnings) warn(message);
  const file = options.file;
  const { header } = await scanCsv(file, mapping.csv, 0);
  if (!header) throw new ConfigError(`${file} is empty: it has no header row`, 'give a CSV whose first line names the columns', 'CSV_INVALID');
  headerProblems(file, mapping, header);
  const duplicates = header.filter((name, i) => header.indexOf(name) !== i);
  if (duplicates.length > 0) warn(`${file}: the header names ${[...new Set(duplicates)].join(', ')} more than once; the last one wins`);

  const offline = options.connection === undefined;
  const dryRun = offline || options.dryRun === true;
  const mode: ImportMode = offline ? 'offline' : options.dryRun ? 'dry-run' : 'import';
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  // Aborted by the caller's signal, or by a fatal error, to cancel the requests in flight.
  const requests = new AbortController();
  // Every request in flight and every request waiting for a token listens on it.
  setMaxListeners(Math.max(100, concurrency * 8), requests.signal);
  const onAbort = () => requests.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let client: WapiClient | undefined;
  let state: StateStore | undefined;
  let journal: RunJournal | undefined;
  let resumed = false;
  let lists: TenantLists | undefined;
  let total: number | undefined;
  const summaryBase = { requests: 0, retries: 0 };
  try {
    if (options.connection) {
      client = new WapiClient({
        ...options.connection,
        connections: concurrency,
        rate: options.rate,
        retries: options.retries,
        timeoutMs: options.timeoutMs,
        logger,
      });
      // Ping first: a refused login or an unreachable server stops the run before any row,
      // without the main client's long retry schedule for a server that is not there at all.
      const pinger = new WapiClient({ ...options.connection, connections: 1, retries: 1, logger });
      try {
        await pinger.ping(requests.signal);
      } finally {
        summaryBase.requests += pinger.stats.requests;
        summaryBase.retries += pinger.stats.retries;
        await pinger.close();
      }
      lists = await fetchTenantLists(client, mapping, { signal: requests.signal, logger });
      // The whole file, --limit or not: the import reads it to its end, and a quoting error
      // past row N must stop the run before row 1 is sent, not after (found in review).
      if (!dryRun) total = Math.min((await scanCsv(file, mapping.csv, Infinity)).rows, options.limit ?? Infinity);
    }
  } catch (error) {
    options.signal?.removeEventListener('abort', onAbort);
    await client?.close();
    throw error;
  }

  const outDir = resolve(cwd, options.out ?? join('wapi-bulk-out', mapping.name));
  try {
    await checkOutDir(outDir);
  } catch (error) {
    options.signal?.removeEventListener('abort', onAbort);
    await client?.close();
    throw error;
  }
  const stateFile = offline ? undefined : resolve(cwd, options.state ?? DEFAULT_STATE_FILE);
  try {
    if (stateFile) state = StateStore.open(stateFile, { readonly: dryRun });
    if (state && !dryRun) {
      const input = await realpath(file);
      const fingerprint = await fingerprintFile(file);
      const hash = mappingHash(mapping);
      const latest = state.latestRun(mapping.name, input);
      if (options.resume && latest) {
        if (latest.fingerprint !== fingerprint) {
          throw new WapiBulkError('STATE_INVALID', `${file} changed since run ${latest.id} (${latest.startedAt}): its row numbers no longer match that run's journal`, {
            hint: 'resume with the file as it was, or run without --resume (use action: upsert with match: so rows already imported are not added twice)',
          });
        }
        if (latest.mappingHash !== hash) warn(`the mapping changed since run ${latest.id}: rows that run finished are reported as they were then`);
        journal = state.resumeRun(latest.id);
        resumed = true;
      } else {
        if (options.resume) warn(`no earlier run of mapping "${mapping.name}" on ${file} in ${stateFile}: starting a new run`);
        else if (latest && latest.status !== 'finished') {
          warn(
            `run ${latest.id} of mapping "${mapping.name}" on ${file} (started ${latest.startedAt}) did not finish; this is a new run, and rows that run had in flight may be sent again (to continue it instead, add --resume)`,
          );
        }
        journal = state.startRun({
          mapping: mapping.name,
          object: mapping.objectName,
          action: mapping.action,
          input,
          fingerprint,
          mappingHash: hash,
          url: options.connection?.url,
          tenant: options.connection?.credentials.tenant,
        });
      }
    } else if (options.resume) {
      warn('--resume has no effect on a dry run or an offline validation');
    }
  } catch (error) {
    options.signal?.removeEventListener('abort', onAbort);
    state?.close();
    await client?.close();
    throw error;
  }

  const writer = new ReportWriter({ dir: outDir, header, delimiter: mapping.csv.delimiter, encoding: mapping.csv.encoding });
  const summary = emptySummary();
  const sender =
    client && state
      ? new RowSender({
          mapping,
          client,
          finder: new RecordFinder(client, requests.signal),
          state,
          journal,
          lists,
          dryRun,
          signal: requests.signal,
          logger,
          maxTransportFailures: Math.max(20, concurrency * 3),
          landingGraceMs: options.landingGraceMs,
        })
      : undefined;
  const processor = new RowProcessor({ mapping, header, lists, sender, journal, resuming: resumed, onWarning: rowWarning });

  const progress = () =>
    options.onProgress?.({ rows: summary.rows, succeeded: summary.succeeded, failed: summary.failed, total, elapsedMs: performance.now() - started });
  const timer = options.onProgress ? setInterval(progress, options.progressIntervalMs ?? 2000) : undefined;
  timer?.unref();

  let status: Exclude<RunStatus, 'running'> = 'finished';
  let failure: unknown;
  const stage = new ImportStage(processor, { concurrency, limit: options.limit, onFatal: () => requests.abort() });
  try {
    await pipeline(
      createReadStream(file, { highWaterMark: 256 * 1024 }),
      createParser(mapping.csv),
      stage,
      new ReportSink(writer, summary),
      options.signal ? { signal: options.signal } : {},
    );
  } catch (error) {
    failure = csvSyntaxError(file, error);
    status = options.signal?.aborted ? 'interrupted' : 'failed';
    await stage.settled();
  } finally {
    if (timer) clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await writer.close().catch(() => undefined);
  }
  if (rowWarnings > SHOWN_WARNINGS) options.onWarning?.(`... and ${rowWarnings - SHOWN_WARNINGS} more row warnings`);
  summary.requests = summaryBase.requests + (client?.stats.requests ?? 0);
  summary.retries = summaryBase.retries + (client?.stats.retries ?? 0);
  summary.elapsedMs = Math.round(performance.now() - started);
  const summaryFile = await writeSummary(outDir, summary);
  if (journal) {
    journal.flush();
    state?.endRun(journal.runId, status, summary);
  }
  state?.close();
  await client?.close();
  if (status === 'interrupted') {
    throw new WapiBulkError('WAPI_ABORTED', `interrupted after ${summary.rows} rows; the reports in ${outDir} hold the rows finished so far`, {
      cause: failure,
      hint: journal ? 'run the same command with --resume to continue: no row is sent twice' : undefined,
    });
  }
  if (failure !== undefined) throw failure;
  progress();
  return {
    ...summary,
    mode,
    mapping: mapping.name,
    outDir,
    files: { success: writer.successFile, errors: writer.errorsFile, summary: summaryFile },
    stateFile,
    runId: journal?.runId,
    resumed,
    warnings: warningCount,
  };
}
