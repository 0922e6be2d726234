import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CsvError } from 'csv-parse';
import type { Logger } from 'pino';
import { WapiClient, type ClientConnection } from '../client/wapi-client.js';
import { WapiBulkError } from '../protocol/errors.js';
import type { Mapping } from '../mapping/types.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import { ReportWriter } from '../report/report-writer.js';
import { ThroughputRecorder, writeRunReport, type ErrorGroup } from '../report/run-report/index.js';
import { importRunReport } from './import-run-report.js';
import { emptySummary, writeSummary, type ImportSummaryFile, type RunEnd, type SummaryCounts } from '../report/summary.js';
import { describeScope, sameScope, scopeOf, type CrmScope } from '../state/crm-scope.js';
import type { RunJournal } from '../state/run-journal.js';
import { DEFAULT_STATE_FILE, HEARTBEAT_MS, liveHolder, StateStore, type RunInfo, type RunStatus } from '../state/state-store.js';
import { createParser, csvSyntaxError, scanCsv } from './csv-input.js';
import { ImportStage } from './import-stage.js';
import { connectTenant } from './connect-tenant.js';
import { decodedStream, type InputInspection } from './input-file.js';
import { readSource } from './read-source.js';
import { RecordFinder } from './record-finder.js';
import { ReportSink } from './report-sink.js';
import { RowProcessor } from './row-processor.js';
import { RowSender } from './row-sender.js';
import { checkExplicitOut, defaultRunFolder, prepareRunFolder } from './run-folder.js';


export const DEFAULT_CONCURRENCY = 8;
/** Consecutive failures with one code that stop a run (--max-errors). */
export const DEFAULT_MAX_ERRORS = 50;
/** Row warnings shown one by one; the rest are counted. */
const SHOWN_WARNINGS = 20;

export interface ImportProgress {
  readonly rows: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Rows the run will process, when a full pass over the file counted them first. */
  readonly total: number | undefined;
  readonly elapsedMs: number;
  /** HTTP requests so far (retries included). */
  readonly requests: number;
}

export interface ImportOptions {
  readonly file: string;
  /** A mapping file's path, or a mapping already loaded. */
  readonly mapping: string | Mapping;
  /**
   * Report folder; default `wapi-bulk-out/<mapping name>/<run>-<started>/` under `cwd`, one per
   * run. An explicit folder holding another run's reports is refused unless `overwrite`.
   */
  readonly out?: string | undefined;
  readonly overwrite?: boolean | undefined;
  /** State file; default `.wapi-bulk/state.sqlite` under `cwd`, shared by every mapping. */
  readonly state?: string | undefined;
  /** The server. Without one the run is offline: mapping and catalogue checks only (validate). */
  readonly connection?: ClientConnection | undefined;
  /** Read (GET) but never write: the reports say what would be added, modified or rejected. */
  readonly dryRun?: boolean | undefined;
  /** Continue the last run of this mapping on this file. */
  readonly resume?: boolean | undefined;
  /** Send rows of an `add` mapping whose key the id map already holds (normally `skipped`). */
  readonly forceAdd?: boolean | undefined;
  /** Process the first N rows only. */
  readonly limit?: number | undefined;
  readonly concurrency?: number | undefined;
  /** Requests per second across the pool. */
  readonly rate?: number | undefined;
  /** Stop after N consecutive row failures with the same code (default 50; 0: never). */
  readonly maxErrors?: number | undefined;
  /** The server's time zone (IANA), for date transforms; a mapping's own `timezone:` must agree. */
  readonly timezone?: string | undefined;
  /** Prefix formula-like cells in the reports with `'` (default true). */
  readonly escapeFormulas?: boolean | undefined;
  readonly retries?: number | undefined;
  /** First backoff between retries (it doubles), default 200 ms. */
  readonly retryBaseMs?: number | undefined;
  readonly timeoutMs?: number | undefined;
  /** After an ADD timed out, how long to wait before looking whether it landed (default 5 s). */
  readonly landingGraceMs?: number | undefined;
  /**
   * Stops the run gracefully: no more rows start, the requests already sent finish and are
   * reported, and the run can be resumed.
   */
  readonly signal?: AbortSignal | undefined;
  /** Cancels the requests in flight too (a second Ctrl-C): their rows are settled by --resume. */
  readonly killSignal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  /** Mapping warnings, row warnings, and notes about the run, one message each. */
  readonly onWarning?: ((message: string) => void) | undefined;
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly progressIntervalMs?: number | undefined;
  /** Where the default --out and --state are; default process.cwd(). */
  readonly cwd?: string | undefined;
}

export type ImportMode = 'import' | 'dry-run' | 'offline';

/** summary.json, and where things were written. */
export interface ImportSummary extends SummaryCounts {
  readonly status: RunEnd;
  readonly exitCode: number;
  readonly mode: ImportMode;
  readonly mapping: string;
  readonly outDir: string;
  readonly files: { readonly success: string; readonly errors: string; readonly summary: string; report: string | undefined };
  /** The state file read or written; undefined offline. */
  readonly stateFile: string | undefined;
  /** The run in the state file; undefined for dry runs and offline. */
  readonly runId: number | undefined;
  readonly resumed: boolean;
  readonly warnings: number;
  readonly encoding: string;
  readonly stopReason: string | undefined;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Failed rows by code, a few examples each (all of them are in errors.csv). */
  readonly errorGroups: ErrorGroup[];
  readonly errorsNotGrouped: number;
}

function mappingHash(mapping: Mapping): string {
  const { file: _file, warnings: _warnings, ...rest } = mapping;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 32);
}

/**
 * One import, stage by stage: the mapping, the input's bytes and header, the connection, the run
 * in the state file, the pipeline, and the end that always runs (summary, run status, closing
 * the state file and the client). Reconcile and undo reuse the first stages.
 */
class ImportRun {
  private readonly started = performance.now();
  private readonly startedAt = new Date();
  private readonly cwd: string;
  private readonly logger: Logger | undefined;
  private warningCount = 0;
  private rowWarnings = 0;
  private mapping!: Mapping;
  private input!: InputInspection;
  private header!: string[];
  private total: number | undefined;
  private readonly mode: ImportMode;
  private readonly dryRun: boolean;
  private readonly concurrency: number;
  /** Cancels requests in flight: a second Ctrl-C, or a fatal error. */
  private readonly requests = new AbortController();
  /** Stops the pipeline once a graceful stop has drained it. */
  private readonly pipelineStop = new AbortController();
  private client: WapiClient | undefined;
  private readonly base = { requests: 0, retries: 0 };
  private lists: TenantLists | undefined;
  private scope: CrmScope | undefined;
  private state: StateStore | undefined;
  private stateFile: string | undefined;
  private previous: RunInfo | undefined;
  /** The input's real path: how the state file names it (the run, --resume, the lock). */
  private inputPath = '';
  private journal: RunJournal | undefined;
  private resumed = false;
  private outDir: string | undefined;
  private writer: ReportWriter | undefined;
  private sink: ReportSink | undefined;
  private readonly recorder = new ThroughputRecorder();
  /** The input is an export or a report this tool wrote with formula escaping. */
  private ownEscapedInput = false;
  private readonly summary = emptySummary();
  private stopReason: string | undefined;
  private stopKind: 'signal' | 'errors' | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly options: ImportOptions) {
    this.cwd = options.cwd ?? process.cwd();
    this.logger = options.logger;
    const offline = options.connection === undefined;
    this.dryRun = offline || options.dryRun === true;
    this.mode = offline ? 'offline' : options.dryRun ? 'dry-run' : 'import';
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    // Every request in flight and every request waiting for a token listens on it.
    setMaxListeners(Math.max(100, this.concurrency * 8), this.requests.signal);
    this.listen(options.killSignal, () => this.requests.abort());
  }

  private listen(signal: AbortSignal | undefined, fn: () => void): void {
    if (!signal) return;
    if (signal.aborted) fn();
    signal.addEventListener('abort', fn, { once: true });
    this.listeners.push(() => signal.removeEventListener('abort', fn));
  }

  warn = (message: string): void => {
    this.warningCount++;
    // One channel for people: the caller's, when it has one; the JSON log otherwise.
    if (this.options.onWarning) {
      this.logger?.info(message);
      this.options.onWarning(message);
    } else this.logger?.warn(message);
  };

  private rowWarning = (row: number, message: string): void => {
    this.rowWarnings++;
    if (this.rowWarnings <= SHOWN_WARNINGS) this.warn(`row ${row}: ${message}`);
    else this.warningCount++;
  };

  /** The mapping, the file's bytes (encoding, fingerprint) and its header. */
  async readInput(): Promise<void> {
    const { options } = this;
    const source = await readSource(options.file, options.mapping, { timezone: options.timezone, warn: this.warn });
    this.mapping = source.mapping;
    this.input = source.input;
    this.header = source.header;
    this.ownEscapedInput = source.ownEscaped;
    if (this.ownEscapedInput) this.logger?.info(`${options.file} was written by wapi-bulk with formula escaping: the leading ' is taken off`);
  }

  /** Log in, read the tenant's lists and fields: a refused login stops the run before any row. */
  async connect(): Promise<void> {
    const connection = this.options.connection;
    if (!connection) return;
    this.scope = scopeOf(connection.url, connection.credentials.tenant);
    this.client = new WapiClient({
      ...connection,
      connections: this.concurrency,
      rate: this.options.rate,
      retries: this.options.retries,
      retryBaseMs: this.options.retryBaseMs,
      timeoutMs: this.options.timeoutMs,
      logger: this.logger,
    });
    const start = await connectTenant(connection, this.client, this.mapping, { signal: this.requests.signal, logger: this.logger, warn: this.warn });
    this.base.requests += start.requests;
    this.base.retries += start.retries;
    this.lists = start.lists;
  }

  /**
   * The state file and the run in it: a new run, or the interrupted one with --resume (its
   * journal must describe this very file, byte for byte and key for key, in this very CRM).
   */
  async openRun(): Promise<void> {
    const { options } = this;
    if (!this.scope) {
      if (options.resume) this.warn('--resume has no effect on an offline validation');
      return;
    }
    this.stateFile = resolve(this.cwd, options.state ?? DEFAULT_STATE_FILE);
    this.state = StateStore.open(this.stateFile, { readonly: this.dryRun });
    this.inputPath = await realpath(options.file);
    this.previous = this.state.latestRun(this.mapping.name, this.inputPath);
    const previous = this.previous;
    if (options.resume && this.dryRun) this.warn('--resume has no effect on a dry run');
    if (this.dryRun) return;
    if (options.resume && previous) {
      if (!sameScope(previous.scope, this.scope)) {
        throw new WapiBulkError(
          'STATE_MISMATCH',
          `run ${previous.id} of mapping "${this.mapping.name}" on ${options.file} went to ${describeScope(previous.scope)}, and this run goes to ${describeScope(this.scope)}`,
          { hint: `resume it with the connection it had (--url ${previous.scope.endpoint} --tenant ${previous.scope.tenant}), or run without --resume to start a new run here` },
        );
      }
      if (previous.fingerprint !== this.input.fingerprint) {
        throw new WapiBulkError('STATE_MISMATCH', `${options.file} changed since run ${previous.id} (${previous.startedAt}): its rows no longer match that run's journal`, {
          hint: 'resume with the file as it was, or run without --resume (an add mapping skips the keys the id map already holds)',
        });
      }
      if (liveHolder(previous)) {
        throw new WapiBulkError('STATE_LOCKED', `run ${previous.id} of mapping "${this.mapping.name}" on ${options.file} is still running (process ${previous.pid} on ${previous.host})`, {
          hint: 'wait for it, or stop it (Ctrl-C) before resuming',
        });
      }
    } else if (options.resume) {
      this.warn(`no earlier run of mapping "${this.mapping.name}" on ${options.file} in ${this.stateFile}: starting a new run`);
    }
  }

  /**
   * Before a real run (and a dry run, for its count): the whole file, so a quoting error at row
   * 900,000 stops the run before row 1 is sent, and on --resume every journaled row's key is
   * compared with the row's key now.
   */
  async scanWholeFile(): Promise<void> {
    if (!this.scope) return;
    const resumeFrom = this.options.resume && !this.dryRun && this.previous ? this.state?.journal(this.previous.id) : undefined;
    const keyIndex = this.header.lastIndexOf(this.mapping.key);
    const mismatch: { row: number; was: string; now: string }[] = [];
    const scan = await scanCsv(this.options.file, this.mapping.csv, this.input.encoding, Infinity, resumeFrom
      ? (row, fields) => {
          const entry = mismatch.length === 0 ? resumeFrom.get(row) : undefined;
          const now = fields[keyIndex] ?? '';
          if (entry && entry.key !== now) mismatch.push({ row, was: entry.key, now });
        }
      : undefined);
    this.total = Math.min(scan.rows, this.options.limit ?? Infinity);
    const first = mismatch[0];
    if (first && this.previous) {
      throw new WapiBulkError('STATE_MISMATCH', `${this.options.file}: row ${first.row} has key ${first.now}, but run ${this.previous.id} journaled key ${first.was} for it: the file is not the one that run read`, {
        hint: 'resume with the file as it was, or run without --resume',
      });
    }
  }

  /** Start or resume the run (the lock), then its report folder. */
  async startRun(): Promise<void> {
    const { options } = this;
    const resuming = options.resume === true && !this.dryRun && this.previous !== undefined;
    if (options.out !== undefined) await checkExplicitOut(resolve(this.cwd, options.out), { overwrite: options.overwrite === true, runId: resuming ? this.previous?.id : undefined });
    if (this.state && this.scope && !this.dryRun) {
      const previous = this.previous;
      if (options.resume && previous) {
        if (previous.mappingHash !== mappingHash(this.mapping)) this.warn(`the mapping changed since run ${previous.id}: rows that run finished are reported as they were then`);
        this.journal = this.state.resumeRun(previous.id);
        this.resumed = true;
      } else {
        if (previous && previous.status !== 'finished' && !liveHolder(previous)) {
          this.warn(
            `run ${previous.id} of mapping "${this.mapping.name}" on ${options.file} (started ${previous.startedAt}) did not finish; this is a new run, and rows that run had in flight may be sent again (to continue it instead, add --resume)`,
          );
        }
        this.journal = this.state.startRun({
          mapping: this.mapping.name,
          object: this.mapping.objectName,
          action: this.mapping.action,
          input: this.inputPath,
          fingerprint: this.input.fingerprint,
          mappingHash: mappingHash(this.mapping),
          scope: this.scope,
        });
      }
      this.heartbeat = setInterval(() => {
        try {
          if (this.journal) this.state?.heartbeat(this.journal.runId);
        } catch (error) {
          this.logger?.warn({ err: error }, 'could not refresh the run lock');
        }
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    const runId = this.journal?.runId;
    const label = runId ?? (this.mode === 'offline' ? 'validate' : 'dry-run');
    this.outDir =
      options.out !== undefined
        ? resolve(this.cwd, options.out)
        : this.resumed && this.previous?.outDir
          ? this.previous.outDir
          : await defaultRunFolder(this.cwd, this.mapping.name, label, this.startedAt);
    await prepareRunFolder(this.outDir);
    if (runId !== undefined) this.state?.setRunOutDir(runId, this.outDir);
  }

  private stop(reason: string, kind: 'signal' | 'errors', stage: ImportStage, sink: ReportSink): void {
    if (this.stopKind) return;
    this.stopKind = kind;
    this.stopReason = reason;
    void stage
      .stop()
      .then(() => sink.caughtUp(stage.pushed))
      .then(() => this.pipelineStop.abort());
  }

  /** Every row from the file to the reports. Resolves to how the rows ended. */
  async runRows(): Promise<{ failure: unknown }> {
    const { options, mapping } = this;
    const writer = new ReportWriter({
      dir: this.outDir as string,
      header: this.header,
      delimiter: mapping.csv.delimiter,
      quote: mapping.csv.quote,
      encoding: this.input.encoding,
      escapeFormulas: options.escapeFormulas ?? true,
    });
    this.writer = writer;
    const sender =
      this.client && this.state && this.scope
        ? new RowSender({
            mapping,
            client: this.client,
            finder: new RecordFinder(this.client, this.requests.signal),
            state: this.state,
            scope: this.scope,
            journal: this.journal,
            lists: this.lists,
            dryRun: this.dryRun,
            signal: options.signal,
            requestSignal: this.requests.signal,
            logger: this.logger,
            maxTransportFailures: Math.max(20, this.concurrency * 3),
            landingGraceMs: options.landingGraceMs,
          })
        : undefined;
    const state = this.state;
    const scope = this.scope;
    const processor = new RowProcessor({
      mapping,
      header: this.header,
      lists: this.lists,
      sender,
      journal: this.journal,
      resuming: this.resumed,
      onWarning: this.rowWarning,
      alreadyImported:
        state && scope && !options.forceAdd
          ? (key) => {
              const hit = state.getId(scope, mapping.name, key);
              return hit ? { id: hit.id, runId: hit.runId } : undefined;
            }
          : undefined,
    });
    const stage = new ImportStage(processor, {
      concurrency: this.concurrency,
      limit: options.limit,
      onFatal: () => this.requests.abort(),
      unescapeFormulas: this.ownEscapedInput,
    });
    const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
    const sink = new ReportSink(writer, this.summary, {
      header: this.header,
      maxErrors: this.mode === 'import' && maxErrors > 0 ? maxErrors : undefined,
      onTooManyErrors: (reason) => this.stop(`stopped by --max-errors: ${reason}`, 'errors', stage, sink),
    });
    this.sink = sink;
    this.listen(options.signal, () => this.stop('interrupted', 'signal', stage, sink));

    const progress = () => {
      this.recorder.tick({
        rows: this.summary.succeeded + this.summary.failed,
        requests: this.base.requests + (this.client?.stats.requests ?? 0),
        retries: this.base.retries + (this.client?.stats.retries ?? 0),
        throttled: this.client?.stats.throttled ?? 0,
      });
      options.onProgress?.({
        rows: this.summary.succeeded + this.summary.failed,
        succeeded: this.summary.succeeded,
        failed: this.summary.failed,
        total: this.total,
        elapsedMs: performance.now() - this.started,
        requests: this.base.requests + (this.client?.stats.requests ?? 0),
      });
    };
    const timer = setInterval(progress, options.progressIntervalMs ?? 1000);
    timer.unref();
    let failure: unknown;
    try {
      await pipeline(decodedStream(options.file, this.input.encoding, mapping.csv.bom), createParser(mapping.csv), stage, sink, { signal: this.pipelineStop.signal });
    } catch (error) {
      failure = this.stopKind ? undefined : error;
      await stage.settled();
      // A syntax error met here (offline, where the file is not scanned first): scan it for the
      // line the broken record starts on, which the streaming parser no longer knows.
      if (failure instanceof CsvError) failure = await scanCsv(options.file, mapping.csv, this.input.encoding, Infinity).then(() => csvSyntaxError(options.file, error), (e: unknown) => e);
    } finally {
      clearInterval(timer);
      await writer.close().catch((error: unknown) => (failure ??= error));
    }
    progress();
    return { failure };
  }

  /** The end of every run that got as far as a report folder: summary.json and the run's status. */
  async finish(failure: unknown): Promise<ImportSummary> {
    const { summary } = this;
    if (this.rowWarnings > SHOWN_WARNINGS) this.options.onWarning?.(`... and ${this.rowWarnings - SHOWN_WARNINGS} more row warnings`);
    const processed = summary.succeeded + summary.failed;
    summary.rows = this.total ?? processed;
    summary.pending = Math.max(0, summary.rows - processed);
    summary.requests = this.base.requests + (this.client?.stats.requests ?? 0);
    summary.retries = this.base.retries + (this.client?.stats.retries ?? 0);
    summary.elapsedMs = Math.round(performance.now() - this.started);
    const stopped = failure !== undefined || this.stopKind !== undefined;
    const status: RunEnd = !stopped ? 'completed' : processed === 0 ? 'not-started' : 'stopped';
    const exitCode = failure !== undefined ? 2 : this.stopKind === 'signal' ? 130 : this.stopKind === 'errors' || summary.failed > 0 ? 1 : 0;
    const stopReason = failure !== undefined ? (failure instanceof Error ? failure.message : JSON.stringify(failure)) : this.stopReason;
    const finishedAt = new Date().toISOString();
    const input = resolve(this.cwd, this.options.file);
    const file = {
      ...summary,
      status,
      exitCode,
      runId: this.journal?.runId ?? null,
      mode: this.mode,
      mapping: this.mapping.name,
      input,
      encoding: this.input.encoding,
      startedAt: this.startedAt.toISOString(),
      finishedAt,
      stopReason,
      escapedFormulas: this.options.escapeFormulas ?? true,
      // The pace the client settled on when the server pushed back (429, 503, timeouts).
      pacing: this.client && this.client.stats.throttled > 0 ? { ...this.client.stats.pacing, throttled: this.client.stats.throttled } : undefined,
    };
    const summaryFile = await writeSummary(this.outDir as string, file);
    const result = this.result(file, summaryFile);
    try {
      const connection = this.options.connection;
      const report = importRunReport(result, {
        input,
        endpoint: this.scope?.endpoint,
        tenant: connection?.credentials.tenant,
        flags: this.flags(),
        timeline: this.recorder.samples(),
      });
      result.files.report = await writeRunReport(this.outDir as string, report);
    } catch (error) {
      // The reports that account for the rows are written; the page is a view of them.
      this.warn(`report.html could not be written: ${(error as Error).message}`);
    }
    if (this.journal && this.state) {
      this.journal.flush();
      const runStatus: Exclude<RunStatus, 'running'> = !stopped ? 'finished' : failure !== undefined ? 'failed' : 'interrupted';
      this.state.endRun(this.journal.runId, runStatus, file);
    }
    return result;
  }

  private result(file: ImportSummaryFile, summaryFile: string): ImportSummary & { files: { report: string | undefined } } {
    return {
      ...this.summary,
      status: file.status,
      exitCode: file.exitCode,
      mode: this.mode,
      mapping: this.mapping.name,
      outDir: this.outDir as string,
      files: { success: this.writer?.successFile ?? '', errors: this.writer?.errorsFile ?? '', summary: summaryFile, report: undefined },
      stateFile: this.stateFile,
      runId: this.journal?.runId,
      resumed: this.resumed,
      warnings: this.warningCount,
      encoding: this.input.encoding,
      stopReason: file.stopReason,
      startedAt: file.startedAt,
      finishedAt: file.finishedAt,
      errorGroups: this.sink?.errors.groups() ?? [],
      errorsNotGrouped: this.sink?.errors.ungrouped ?? 0,
    };
  }

  /** The options a person set, for report.html (never a credential: those are not options here). */
  private flags(): Record<string, string | number | boolean | undefined> {
    const o = this.options;
    return {
      concurrency: this.concurrency,
      rate: o.rate,
      limit: o.limit,
      'dry-run': o.dryRun,
      resume: o.resume,
      'force-add': o.forceAdd,
      'max-errors': o.maxErrors,
      timezone: o.timezone,
    };
  }

  /** Always runs: the heartbeat, the signal listeners, the state file and the client. */
  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const remove of this.listeners) remove();
    try {
      this.journal?.flush();
    } finally {
      try {
        if (this.journal && this.state && this.state.run(this.journal.runId)?.status === 'running') this.state.endRun(this.journal.runId, 'failed');
      } catch {
        // The state file itself failed: nothing more to record in it.
      }
      this.state?.close();
      await this.client?.close();
    }
  }
}

/**
 * Import a CSV through a mapping: one `await pipeline(...)` from the file to success.csv,
 * errors.csv and summary.json, with the journal and id map in the state file. Resolves to the
 * summary when the run went through or was stopped (status `stopped`, exitCode 1 for
 * --max-errors, 130 for a signal: resumable); rejects when it could not start or broke
 * (a refused login, the server gone, a CSV syntax error).
 */
/** The summary of the run an error stopped half-way (its reports are written): see stoppedRunOf. */
const STOPPED_RUNS = new WeakMap<object, ImportSummary>();

/**
 * The run a failure thrown by importCsv stopped, when it had started (rows reported, a run in
 * the state file to resume); undefined when it stopped before. Found in review: a login lost
 * mid-run printed only "Invalid login parameters.", not that 40 rows had been imported or how to
 * continue.
 */
export function stoppedRunOf(error: unknown): ImportSummary | undefined {
  return typeof error === 'object' && error !== null ? STOPPED_RUNS.get(error) : undefined;
}

export async function importCsv(options: ImportOptions): Promise<ImportSummary> {
  const run = new ImportRun(options);
  try {
    await run.readInput();
    await run.connect();
    await run.openRun();
    await run.scanWholeFile();
    await run.startRun();
    const { failure } = await run.runRows();
    const summary = await run.finish(failure);
    if (failure !== undefined) {
      const error = failure instanceof Error ? failure : new Error(JSON.stringify(failure));
      STOPPED_RUNS.set(error, summary);
      throw error;
    }
    return summary;
  } finally {
    await run.close();
  }
}
