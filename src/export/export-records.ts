import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Logger } from 'pino';
import { objectDef, type ObjectDef } from '../protocol/catalogue.js';
import { ConfigError } from '../protocol/errors.js';
import type { Credentials } from '../protocol/request.js';
import { WapiClient, type ClientConnection } from '../client/wapi-client.js';
import { readTenantFields } from '../client/tenant-fields.js';
import { PRIVATE_FILE_MODE } from '../report/report-writer.js';
import { escapeFormula } from '../report/formulas.js';
import { ErrorGrouper, ThroughputRecorder, writeRunReport } from '../report/run-report/index.js';
import { isValidTimeZone } from '../protocol/time-zones.js';
import { endpointOf } from '../state/crm-scope.js';
import { StateStore } from '../state/state-store.js';
import { cellValue, chooseColumns, unknownColumns, type OutputColumn } from './columns.js';
import { parseDayOption } from './dates.js';
import type { DayWindow } from './day-windows.js';
import { BookmarkTracker, formatBookmark, isNewSince, parseBookmark, startDay, type Bookmark } from './incremental.js';
import type { FailedRange } from './plan-types.js';
import type { RecordFilter } from './record-filter.js';
import { startWalk, type RecordWalk } from './record-walk.js';
import { loadReverseMapping, type ReverseMapping } from './reverse-mapping.js';
import { exportRunReport } from './export-report.js';
import { outputPaths, type OutputPaths } from './output-paths.js';
import { filterIdTag, recordKey } from './record-key.js';
import type { CapSource } from './reply-cap.js';

export const EXPORT_OBJECTS = ['customer', 'case', 'task', 'followup', 'faq', 'faqcategory'] as const;

export interface ExportOptions {
  /** customer, case, task, followup, faq or faqcategory. */
  readonly object: string;
  /** The CSV to write; `<name>.errors.csv` and `<name>.summary.json` go beside it. `-`: stdout. */
  readonly out: string;
  readonly url: string;
  readonly credentials: Credentials;
  /** form or gateway (default: from the URL), the reply size cap, the request deadline. */
  readonly connection?: Omit<ClientConnection, 'url' | 'credentials'>;
  readonly fromId?: number;
  readonly toId?: number;
  /** Days as YYYY-MM-DD or MMDDYYYY; FROM inclusive, TO exclusive. */
  readonly createdFrom?: string;
  readonly createdTo?: string;
  readonly modifiedFrom?: string;
  readonly modifiedTo?: string;
  /** State file for incremental runs (bookmark per object). */
  readonly state?: string;
  readonly columns?: readonly string[];
  /** An import mapping whose legacy column names to write. */
  readonly mapping?: string;
  /**
   * The server's reply cap: a number, or `auto` (the default) to learn it from the replies. A
   * number above the real cap loses records: a run whose replies come back at one size below it
   * exits 1.
   */
  readonly maxItems?: number | 'auto';
  /** Queries in flight (default 4). */
  readonly concurrency?: number;
  /** Requests per second (default: unpaced). */
  readonly rate?: number;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly bom?: boolean;
  readonly rawDates?: boolean;
  /** The server's time zone (IANA; default UTC): ISO timestamps carry its offset, and "today" is its day. */
  readonly timezone?: string | undefined;
  /** Write the customer portal PASSWORD column (otherwise only when `columns` names it). */
  readonly includePassword?: boolean;
  /** A leading `'` before cells a spreadsheet would run as a formula (default true). */
  readonly escapeFormulas?: boolean;
  /** Where `out: '-'` writes the CSV (default process.stdout). */
  readonly stdout?: Writable;
  /**
   * Cancels the export: the requests in flight stop, no file is left behind (the CSV is only
   * renamed into place when the walk ends), the bookmark does not move, and the promise rejects
   * with WAPI_ABORTED.
   */
  readonly signal?: AbortSignal | undefined;
  /** Records written so far, every thousand records and at the end. */
  readonly onProgress?: (progress: { records: number; failedRanges: number; requests: number }) => void;
  readonly logger?: Logger;
  /** Called with the tags of every GET the planner sends (tracing, benchmarks). */
  readonly onQuery?: (tags: readonly (readonly [string, string])[]) => void;
  /** The clock's "now", for tests. */
  readonly now?: () => Date;
}

export interface ExportSummary {
  readonly object: string;
  readonly out: string;
  /** null when the CSV went to stdout (`--out -`): the failed ranges are then in `failures`. */
  readonly errorsFile: string | null;
  readonly summaryFile: string | null;
  /** FILE.report.html; null with `--out -`. */
  readonly reportFile: string | null;
  /** Rows written. */
  readonly records: number;
  /** Rows the summary's TOTAL counts (for tasks and cases: not hidden by deleted agents). */
  readonly countedRecords: number;
  /** Records shown only when asked for (created by / assigned to deleted agents), included. */
  readonly hiddenRecords: number;
  /** The empty GET's TOTAL, where the object has one. */
  readonly apiTotal: number | null;
  /** Whether countedRecords equals apiTotal; null when no check applies (filters, incremental). */
  readonly countMatches: boolean | null;
  /** HTTP requests, retries included. */
  readonly requests: number;
  readonly retries: number;
  readonly ranges: number;
  readonly bisections: number;
  readonly failedRanges: number;
  /** The failed ranges, when there is no errors file to hold them (`--out -`). */
  readonly failures: readonly FailedRange[];
  readonly duplicates: number;
  /** ITEMs received in all replies: records plus what was read again or filtered out. */
  readonly itemsReceived: number;
  /** null when no record was written. */
  readonly requestsPerRecord: number | null;
  readonly elapsedMs: number;
  readonly incremental: { readonly since: string | null; readonly bookmark: string | null; readonly skipped: number } | null;
  readonly warnings: readonly string[];
  /** The reply cap the run worked with, and whether it was given, learnt (proved) or bounded. */
  readonly maxItems: { readonly value: number; readonly source: CapSource };
  readonly timezone: string;
  /** Whether formula-like cells were prefixed with `'` (import takes the prefix off again). */
  readonly escapedFormulas: boolean;
  /** 0: complete; 1: a range failed or the count does not match TOTAL. */
  readonly exitCode: 0 | 1;
}

const CURSOR: Record<string, string | undefined> = { CUSTOMER: 'LASTMODDATE', CASE: 'LASTMODDATE', TASK: 'LASTMODDATE', FOLLOWUP: 'CREATEDDATE' };

function day(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDayOption(value);
  if (parsed === undefined) throw new ConfigError(`--${name} "${value}" is not a date`, 'write it as YYYY-MM-DD or MMDDYYYY');
  return parsed;
}

function window(from: number | undefined, to: number | undefined, name: string): DayWindow | undefined {
  if (from === undefined && to === undefined) return undefined;
  if (from !== undefined && to !== undefined && to <= from) {
    throw new ConfigError(`--${name}-to must be after --${name}-from`, 'FROM is inclusive and TO exclusive: one day is FROM=day, TO=next day');
  }
  return { from, to };
}

function checkOptions(options: ExportOptions): ObjectDef {
  const object = objectDef(options.object);
  if (!object || !(EXPORT_OBJECTS as readonly string[]).includes(options.object.toLowerCase())) {
    throw new ConfigError(`cannot export "${options.object}"`, `choose one of ${EXPORT_OBJECTS.join(', ')}`);
  }
  for (const [name, value] of [['max-items', options.maxItems === 'auto' ? undefined : options.maxItems], ['concurrency', options.concurrency]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new ConfigError(`--${name} must be a whole number of at least 1`);
  }
  if (options.rate !== undefined && !(options.rate > 0)) throw new ConfigError('--rate must be a positive number of requests per second');
  for (const [name, value] of [['from-id', options.fromId], ['to-id', options.toId]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) throw new ConfigError(`--${name} must be a record id (digits)`);
  }
  const modifies = options.modifiedFrom !== undefined || options.modifiedTo !== undefined;
  if (modifies && !object.fields.some((f) => f.tag === 'LASTMODDATE')) {
    throw new ConfigError(`--modified-from/--modified-to: ${object.name.toLowerCase()} records have no LASTMODDATE`);
  }
  if ((options.createdFrom !== undefined || options.createdTo !== undefined) && !object.fields.some((f) => f.tag === 'CREATEDDATE')) {
    throw new ConfigError(`--created-from/--created-to: ${object.name.toLowerCase()} records have no CREATEDDATE`);
  }
  if (options.state !== undefined && CURSOR[object.name] === undefined) {
    throw new ConfigError(
      `--state: ${object.name.toLowerCase()} records carry no modification date, so there is nothing to export incrementally`,
      'export them in full (they are few): drop --state',
    );
  }
  if (options.state !== undefined && options.modifiedFrom !== undefined) {
    throw new ConfigError('--state and --modified-from together: the bookmark decides where an incremental run starts', 'drop one of them');
  }
  return object;
}

/** Where the CSV goes: a file (with the errors and summary files beside it) or a stream (`--out -`). */
type Output = { readonly kind: 'file'; readonly paths: OutputPaths } | { readonly kind: 'stream'; readonly stream: Writable };

async function openOutput(options: ExportOptions): Promise<Output> {
  if (options.out === '-') return { kind: 'stream', stream: options.stdout ?? process.stdout };
  const paths = outputPaths(options.out);
  try {
    await mkdir(dirname(paths.csv), { recursive: true });
  } catch (error) {
    throw new ConfigError(`cannot create the folder of --out ${options.out}: ${(error as NodeJS.ErrnoException).code}`, 'choose a writable place');
  }
  // Found in review: a folder given as --out was an "internal error" at the final rename.
  if ((await stat(paths.csv).catch(() => undefined))?.isDirectory()) {
    throw new ConfigError(`--out ${options.out} is a folder`, 'give the path of the CSV file to write, e.g. --out backup/customers.csv');
  }
  return { kind: 'file', paths };
}

/** The failed ranges: FILE.errors.csv, or kept for the summary when the CSV goes to stdout. */
class FailureLog {
  private readonly csv: ReturnType<typeof stringify> | undefined;
  private readonly done: Promise<void> | undefined;
  readonly kept: FailedRange[] = [];
  /** By code, a few examples each: report.html. */
  readonly groups = new ErrorGrouper();

  constructor(
    file: string | undefined,
    private readonly escape: boolean,
  ) {
    if (file === undefined) return;
    this.csv = stringify({ header: true, columns: ['query', 'code', 'message'] });
    this.done = pipeline(this.csv, createWriteStream(file, { mode: PRIVATE_FILE_MODE }));
    // Awaited in close(); this keeps an early failure (a full disk) from being an unhandled rejection.
    this.done.catch(() => undefined);
  }

  add(failure: FailedRange): void {
    this.groups.add({ row: failure.query, code: failure.code, message: failure.message });
    if (this.csv) this.csv.write([failure.query, failure.code, failure.message].map((v) => (this.escape ? escapeFormula(v) : v)));
    else this.kept.push(failure);
  }

  async close(): Promise<void> {
    this.csv?.end();
    await this.done;
  }
}

/** The incremental part of a run with --state: the bookmark read, and the one to write. */
interface Increment {
  readonly state: StateStore;
  readonly scope: string;
  readonly cursor: string;
  readonly bookmark: Bookmark | undefined;
  readonly tracker: BookmarkTracker;
}

function openIncrement(options: ExportOptions, object: ObjectDef): Increment | undefined {
  const cursor = CURSOR[object.name];
  if (options.state === undefined || cursor === undefined) return undefined;
  const state = StateStore.open(options.state);
  const scope = `${options.credentials.tenant}@${endpointOf(options.url)}`;
  const bookmark = parseBookmark(state.getBookmark(`export:${object.name}`, scope));
  return { state, scope, cursor, bookmark, tracker: new BookmarkTracker(recordKey(object.name, object.idTag), cursor, bookmark) };
}

function filterOf(options: ExportOptions, increment: Increment | undefined): RecordFilter {
  let filter: RecordFilter = {
    fromId: options.fromId,
    toId: options.toId,
    created: window(day('created-from', options.createdFrom), day('created-to', options.createdTo), 'created'),
    modified: window(day('modified-from', options.modifiedFrom), day('modified-to', options.modifiedTo), 'modified'),
  };
  if (increment?.bookmark) {
    const since = { from: startDay(increment.bookmark) };
    filter = increment.cursor === 'LASTMODDATE' ? { ...filter, modified: { ...filter.modified, ...since } } : { ...filter, created: { ...filter.created, ...since } };
  }
  return filter;
}

/** --columns names checked before the walk: a name no column answers is exit 2, not an empty column. */
async function checkColumns(options: ExportOptions, object: ObjectDef, client: WapiClient, reverse: ReverseMapping | undefined): Promise<void> {
  if (!options.columns || options.columns.length === 0) return;
  const tenantFields = object.customFields ? await readTenantFields(client, object.name).catch(() => undefined) : new Set<string>();
  const unknown = unknownColumns(object, options.columns, tenantFields, reverse?.columns);
  if (unknown.length === 0) return;
  const known = reverse ? reverse.columns.map((c) => c.column) : [...object.fields.filter((f) => f.reply).map((f) => f.tag), ...(tenantFields ?? [])];
  throw new ConfigError(
    `--columns names ${unknown.length === 1 ? 'a column' : 'columns'} no ${object.name.toLowerCase()} record has: ${unknown.join(', ')}`,
    `use one of: ${known.join(', ')}${tenantFields === undefined && !reverse ? ' (the tenant has no record to learn its custom fields from)' : ''}`,
  );
}

/**
 * Export every record of an object to CSV (see README "Export"). Throws a WapiBulkError when
 * the run cannot start (bad options, unreachable server, refused login or permission); otherwise
 * resolves to the summary, whose exitCode is 1 when a range failed or the count does not match.
 */
export async function exportRecords(options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const recorder = new ThroughputRecorder();
  const object = checkOptions(options);
  const timeZone = options.timezone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw new ConfigError(`--timezone "${timeZone}" is not an IANA time zone`, 'use a name like UTC, Europe/Berlin or America/New_York');
  const output = await openOutput(options);
  const escapeFormulas = options.escapeFormulas ?? true;
  const reverse = options.mapping === undefined ? undefined : await loadReverseMapping(options.mapping, object);
  const warnings: string[] = [...(reverse?.warnings ?? [])];
  const increment = openIncrement(options, object);
  const filter = filterOf(options, increment);
  const client = new WapiClient({
    ...options.connection,
    url: options.url,
    credentials: options.credentials,
    rate: options.rate,
    retries: options.retries,
    retryBaseMs: options.retryBaseMs,
    connections: Math.max(4, (options.concurrency ?? 4) * 2),
    logger: options.logger,
  });
  const tmp = output.kind === 'file' ? `${output.paths.csv}.partial` : undefined;
  try {
    // Login first: a refused login is "could not start" for every object, summary or not.
    await client.ping(options.signal);
    await checkColumns(options, object, client, reverse);
    const failures = new FailureLog(output.kind === 'file' ? output.paths.errors : undefined, escapeFormulas);
    let walk: RecordWalk;
    try {
      walk = await startWalk({
        client,
        object,
        filter,
        maxItems: options.maxItems === 'auto' ? undefined : options.maxItems,
        concurrency: options.concurrency ?? 4,
        timeZone,
        now: (options.now ?? (() => new Date()))(),
        onQuery: options.onQuery,
        signal: options.signal,
        warn: (message) => options.logger?.warn(message),
        onFailure: (failure) => {
          options.logger?.warn({ query: failure.query, code: failure.code }, failure.message);
          failures.add(failure);
        },
      });
    } catch (error) {
      await failures.close().catch(() => undefined);
      throw error;
    }

    const isNew = increment?.bookmark ? isNewSince(increment.bookmark, walk.keyOf, increment.cursor) : () => true;
    const counts = { records: 0, counted: 0, skipped: 0 };
    const tick = () => recorder.tick({ rows: counts.records, requests: client.stats.requests, retries: client.stats.retries, throttled: client.stats.throttled });
    const ticking = setInterval(tick, 1000);
    ticking.unref();
    let columns: OutputColumn[] = [];
    const cells = { rawDates: options.rawDates ?? false, timeZone, escapeFormulas };
    async function* lines(): AsyncGenerator<string[]> {
      let headerOut = false;
      for await (const row of walk.rows((keys) => {
        const chosen = chooseColumns(object, keys, { columns: options.columns, mapping: reverse?.columns, includePassword: options.includePassword });
        columns = chosen.columns;
        warnings.push(...chosen.warnings);
      })) {
        if (!headerOut) {
          headerOut = true;
          yield columns.map((c) => c.header);
        }
        if (!isNew(row.item)) {
          counts.skipped++;
          continue;
        }
        counts.records++;
        if (row.counted) counts.counted++;
        increment?.tracker.add(row.item);
        if (counts.records % 1000 === 0) options.onProgress?.({ records: counts.records, failedRanges: walk.stats.failedRanges, requests: client.stats.requests });
        yield columns.map((c) => cellValue(c, row.item, cells));
      }
      if (!headerOut) yield columns.map((c) => c.header);
    }
    try {
      const sink = output.kind === 'file' ? createWriteStream(tmp as string, { mode: PRIVATE_FILE_MODE }) : output.stream;
      await pipeline(Readable.from(lines()), stringify({ bom: options.bom ?? false }), sink, { end: output.kind === 'file' });
    } finally {
      await failures.close();
    }
    if (output.kind === 'file') await rename(tmp as string, output.paths.csv);
    options.onProgress?.({ records: counts.records, failedRanges: walk.stats.failedRanges, requests: client.stats.requests });
    clearInterval(ticking);
    tick();
    return await finishExport({ startedAt, recorder, options, object, output, walk, counts, increment, warnings, failures, client, started, timeZone, escapeFormulas });
  } catch (error) {
    if (tmp) await rm(tmp, { force: true });
    // A cancelled export leaves nothing behind: no CSV, and no errors file beside a CSV that is not there.
    if (output.kind === 'file' && (error as { code?: unknown }).code === 'WAPI_ABORTED') await rm(output.paths.errors, { force: true });
    throw error;
  } finally {
    increment?.state.close();
    await client.close();
  }
}

interface Finish {
  readonly startedAt: string;
  readonly recorder: ThroughputRecorder;
  readonly options: ExportOptions;
  readonly object: ObjectDef;
  readonly output: Output;
  readonly walk: RecordWalk;
  readonly counts: { readonly records: number; readonly counted: number; readonly skipped: number };
  readonly increment: Increment | undefined;
  readonly warnings: string[];
  readonly failures: FailureLog;
  readonly client: WapiClient;
  readonly started: number;
  readonly timeZone: string;
  readonly escapeFormulas: boolean;
}

/** The checks after the walk (count, cap, ids), the next bookmark, and summary.json. */
async function finishExport(f: Finish): Promise<ExportSummary> {
  const { options, object, walk, counts, increment, warnings, client } = f;
  const { cap, order, plan, stats } = walk;
  if (options.maxItems !== undefined && options.maxItems !== 'auto' && cap.largest > options.maxItems) {
    warnings.push(`the server returned ${cap.largest} records in one reply: its cap is above --max-items ${options.maxItems}; leave --max-items out to learn it (fewer requests)`);
  }
  const suspicion = cap.suspicion();
  if (suspicion) warnings.push(suspicion);
  if (order.withoutId > 0) warnings.push(`${order.withoutId} records came without a usable ${filterIdTag(object.name, object.idTag)} and were not written`);
  if (increment && !order.withoutId && object.name === 'CUSTOMER' && counts.records > 0 && increment.tracker.value() === undefined) {
    warnings.push(`the replies carry no ${increment.cursor} (a live tenant's customer replies may not): the bookmark cannot move, and the next incremental run exports these records again`);
  }
  const countMatches = increment?.bookmark || plan.expectedTotal === undefined ? null : counts.counted === plan.expectedTotal;
  const failed = stats.failedRanges > 0 || countMatches === false || order.withoutId > 0 || suspicion !== undefined;
  const next = increment?.tracker.value();
  if (increment && next && !failed) increment.state.setBookmark(`export:${object.name}`, formatBookmark(next), increment.scope);
  const requests = client.stats.requests;
  const paths = f.output.kind === 'file' ? f.output.paths : undefined;
  const summary: ExportSummary = {
    object: object.name.toLowerCase(),
    out: paths?.csv ?? '-',
    errorsFile: paths?.errors ?? null,
    summaryFile: paths?.summary ?? null,
    reportFile: paths?.report ?? null,
    records: counts.records,
    countedRecords: counts.counted,
    hiddenRecords: plan.apiTotal === undefined ? 0 : counts.records - counts.counted,
    apiTotal: plan.apiTotal ?? null,
    countMatches,
    requests,
    retries: client.stats.retries,
    ranges: stats.ranges,
    bisections: stats.bisections,
    failedRanges: stats.failedRanges,
    failures: f.failures.kept,
    duplicates: order.duplicates,
    itemsReceived: walk.itemsReceived(),
    requestsPerRecord: counts.records === 0 ? null : Math.round((requests / counts.records) * 10_000) / 10_000,
    elapsedMs: Math.round(performance.now() - f.started),
    incremental: increment
      ? { since: increment.bookmark?.at ?? null, bookmark: failed ? (increment.bookmark?.at ?? null) : (next?.at ?? null), skipped: counts.skipped }
      : null,
    warnings,
    maxItems: { value: cap.value, source: cap.source },
    timezone: f.timeZone,
    escapedFormulas: f.escapeFormulas,
    exitCode: failed ? 1 : 0,
  };
  if (paths) {
    await writeFile(paths.summary, `${JSON.stringify(summary, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    try {
      await writeRunReport(dirname(paths.report), exportRunReport(summary, { options: f.options, startedAt: f.startedAt, timeline: f.recorder.samples(), errors: f.failures.groups }), basename(paths.report));
    } catch (error) {
      warnings.push(`${paths.report} could not be written: ${(error as Error).message}`);
    }
  }
  return summary;
}
