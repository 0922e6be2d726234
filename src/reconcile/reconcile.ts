/**
 * `wapi-bulk reconcile`: prove that a migration landed, and say what did not (README
 * "Reconcile"). The source is read through the mapping exactly as the import reads it; the CRM
 * side is read by the export's walk (or, for a small source, a look-up per row); both sides are
 * spooled to a temporary SQLite file and joined on the record id the id map knows, else on the
 * mapping's `match` value. Nothing is written to the CRM or to the state file.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { WapiClient } from '../client/wapi-client.js';
import { objectDef, type ObjectDef } from '../protocol/catalogue.js';
import { ConfigError } from '../protocol/errors.js';
import type { ClientConnection } from '../client/wapi-client.js';
import { isValidTimeZone } from '../protocol/time-zones.js';
import type { TenantLists } from '../mapping/tenant-lists.js';
import type { Mapping } from '../mapping/types.js';
import { recordKey } from '../export/record-key.js';
import { connectTenant } from '../import/connect-tenant.js';
import { checkExplicitOut, defaultRunFolder, prepareRunFolder } from '../import/run-folder.js';
import { reportPrefixLength } from '../report/report-columns.js';
import { ThroughputRecorder, writeRunReport } from '../report/run-report/index.js';
import { scopeOf, type CrmScope } from '../state/crm-scope.js';
import { DEFAULT_STATE_FILE, StateStore } from '../state/state-store.js';
import { estimateWalk, type WalkEstimate } from './estimate-walk.js';
import { comparedFields, SideJoiner, type ComparedField } from './join-sides.js';
import { JoinSpool, type Item } from './join-spool.js';
import { lookUpRows } from './look-up-rows.js';
import { readSource, type SourceFile } from '../import/read-source.js';
import { ReconcileFiles } from './reconcile-files.js';
import { reconcileRunReport } from './reconcile-report.js';
import { writeReconcileSummary, type ReconcileStrategy, type ReconcileSummary } from './reconcile-summary.js';
import { spoolSource } from './spool-source.js';
import { walkCrm, type WalkOutcome } from './walk-crm.js';

export const DEFAULT_RECONCILE_CONCURRENCY = 4;

export interface ReconcileProgress {
  /** `read`: both sides being read; `look-up`: records fetched per row; `compare`: the join. */
  readonly phase: 'read' | 'look-up' | 'compare';
  /** Source rows read (read), looked up (look-up) or compared (compare). */
  readonly rows: number;
  /** CRM records read so far. */
  readonly records: number;
  /** Rows to compare, in the compare phase. */
  readonly total: number | undefined;
  /** Rows found to differ so far (missing, different, invalid). */
  readonly differing: number;
  readonly requests: number;
  readonly elapsedMs: number;
}

export interface ReconcileOptions {
  readonly file: string;
  /** A mapping file's path, or a mapping already loaded. */
  readonly mapping: string | Mapping;
  readonly connection: ClientConnection;
  /** Report folder; default `wapi-bulk-out/<mapping>/reconcile-<started>/` under `cwd`. */
  readonly out?: string | undefined;
  /** Let `out` replace another run's reports. */
  readonly overwrite?: boolean | undefined;
  /** The state file whose id map gives record ids and references (read only); default `.wapi-bulk/state.sqlite`. */
  readonly state?: string | undefined;
  /** `auto` (default) chooses by estimated requests; `walk` reads the whole object; `lookup` fetches each row's record. */
  readonly strategy?: 'auto' | ReconcileStrategy | undefined;
  /** The server's reply cap, or `auto` (default) to learn it. */
  readonly maxItems?: number | 'auto' | undefined;
  /** Queries in flight (default 4). */
  readonly concurrency?: number | undefined;
  readonly rate?: number | undefined;
  readonly retries?: number | undefined;
  readonly retryBaseMs?: number | undefined;
  readonly timeoutMs?: number | undefined;
  /** The server's time zone (IANA), for date transforms, as in the import. */
  readonly timezone?: string | undefined;
  /** A leading `'` before formula-like cells of the CSV files (default true). */
  readonly escapeFormulas?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  readonly onWarning?: ((message: string) => void) | undefined;
  readonly onProgress?: ((progress: ReconcileProgress) => void) | undefined;
  readonly progressIntervalMs?: number | undefined;
  readonly cwd?: string | undefined;
  /** The clock, for tests. */
  readonly now?: (() => Date) | undefined;
}

/** The id a source row names a record by, from a record: follow-ups by case and number. */
function identOf(object: ObjectDef): (item: Item) => string {
  if (object.name === 'FOLLOWUP') {
    return (item) => {
      const c = item['CASENUM']?.trim() ?? '';
      const f = item['FOLLOWUPNUM']?.trim() ?? '';
      return c === '' || f === '' ? '' : `${c}/${f}`;
    };
  }
  return (item) => item[object.idTag]?.trim() ?? '';
}

class ReconcileRun {
  private readonly started = performance.now();
  private readonly startedAt: Date;
  private readonly cwd: string;
  private readonly concurrency: number;
  private readonly warnings: string[] = [];
  private source!: SourceFile;
  private object!: ObjectDef;
  private client!: WapiClient;
  private readonly base = { requests: 0, retries: 0 };
  private lists: TenantLists | undefined;
  private scope!: CrmScope;
  private state: StateStore | undefined;
  private stateFile!: string;
  private outDir!: string;
  private spool: JoinSpool | undefined;
  private compared: ComparedField[] = [];
  private joiner: SideJoiner | undefined;
  private strategy: ReconcileStrategy = 'walk';
  private strategyReason = '';
  private estimate: WalkEstimate | undefined;
  private walk: WalkOutcome | undefined;
  private readonly counts = { rows: 0, valid: 0, lookedUp: 0 };
  private extra: number | null = null;
  private readonly recorder = new ThroughputRecorder();
  private phase: ReconcileProgress['phase'] = 'read';
  /** When each phase ended, ms since the start. */
  private readonly ended: { read?: number; compare?: number } = {};
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ReconcileOptions) {
    this.startedAt = (options.now ?? (() => new Date()))();
    this.cwd = options.cwd ?? process.cwd();
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_RECONCILE_CONCURRENCY);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    if (this.options.onWarning) this.options.onWarning(message);
    else this.options.logger?.warn(message);
  }

  private requests(): number {
    return this.base.requests + (this.client?.stats.requests ?? 0);
  }

  private progress(): void {
    const joined = this.joiner?.counts;
    const rows = this.phase === 'compare' ? (joined?.joined ?? 0) : this.phase === 'look-up' ? this.counts.lookedUp : this.counts.rows;
    this.recorder.tick({ rows, requests: this.requests(), retries: this.base.retries + (this.client?.stats.retries ?? 0) });
    this.options.onProgress?.({
      phase: this.phase,
      rows,
      records: this.spool?.records ?? 0,
      total: this.phase === 'compare' ? this.counts.rows : this.phase === 'look-up' ? this.counts.valid : undefined,
      differing: joined ? joined.missing + joined.different + joined.invalid : 0,
      requests: this.requests(),
      elapsedMs: performance.now() - this.started,
    });
  }

  private checkOptions(): void {
    const o = this.options;
    if (o.strategy !== undefined && !['auto', 'walk', 'lookup'].includes(o.strategy)) {
      throw new ConfigError(`--strategy ${o.strategy} is not a strategy`, 'use auto, walk or lookup');
    }
    if (o.maxItems !== undefined && o.maxItems !== 'auto' && !(Number.isInteger(o.maxItems) && o.maxItems >= 1)) {
      throw new ConfigError('--max-items must be auto or a whole number of at least 1');
    }
    if (o.timezone !== undefined && !isValidTimeZone(o.timezone)) {
      throw new ConfigError(`--timezone "${o.timezone}" is not an IANA time zone`, 'use a name like UTC, Europe/Berlin or America/New_York');
    }
  }

  /** The mapping, the file and its header, exactly as the import reads them. */
  async readInput(): Promise<void> {
    this.checkOptions();
    this.source = await readSource(this.options.file, this.options.mapping, { timezone: this.options.timezone, warn: (m) => this.warn(m) });
    this.object = objectDef(this.source.mapping.objectName) as ObjectDef;
  }

  /** Log in, then the tenant's lists and fields, which validation needs as in the import. */
  async connect(): Promise<void> {
    const connection = this.options.connection;
    const mapping = this.source.mapping;
    this.scope = scopeOf(connection.url, connection.credentials.tenant);
    this.client = new WapiClient({
      ...connection,
      connections: Math.max(4, this.concurrency * 2),
      rate: this.options.rate,
      retries: this.options.retries,
      retryBaseMs: this.options.retryBaseMs,
      timeoutMs: this.options.timeoutMs,
      logger: this.options.logger,
    });
    const start = await connectTenant(connection, this.client, mapping, { signal: this.options.signal, logger: this.options.logger, warn: (m) => this.warn(m) });
    this.base.requests += start.requests;
    this.base.retries += start.retries;
    this.lists = start.lists;
  }

  /** The state file, read only: its id map gives record ids and references. */
  openState(): void {
    const mapping = this.source.mapping;
    this.stateFile = resolve(this.cwd, this.options.state ?? DEFAULT_STATE_FILE);
    this.state = StateStore.open(this.stateFile, { readonly: true });
    if (this.state.countIds(this.scope, mapping.name) === 0) {
      this.warn(
        mapping.match !== undefined
          ? `the state file ${this.stateFile} has no ids of mapping "${mapping.name}" for tenant ${this.scope.tenant} at ${this.scope.endpoint}: rows are joined on ${mapping.match} only`
          : `the state file ${this.stateFile} has no ids of mapping "${mapping.name}" for tenant ${this.scope.tenant} at ${this.scope.endpoint}, and the mapping has no match: field: no row can be found (give --state the file the import used)`,
      );
    }
  }

  async prepareOut(): Promise<void> {
    const o = this.options;
    if (o.out !== undefined) await checkExplicitOut(resolve(this.cwd, o.out), { overwrite: o.overwrite === true, runId: undefined });
    this.outDir = o.out !== undefined ? resolve(this.cwd, o.out) : await defaultRunFolder(this.cwd, this.source.mapping.name, 'reconcile', this.startedAt);
    await prepareRunFolder(this.outDir);
  }

  /** Which fields are compared, and how; the spool that keeps their CRM values. */
  private openSpool(): JoinSpool {
    const mapping = this.source.mapping;
    const { fields, tags } = comparedFields(mapping, this.object, this.lists);
    this.compared = fields;
    this.spool = new JoinSpool(tags, recordKey(this.object.name, this.object.idTag), identOf(this.object), mapping.match?.toUpperCase());
    return this.spool;
  }

  /**
   * Both sides into the spool. The CRM side is walked as soon as the source has more rows than
   * the walk is estimated to cost in requests (the walk then runs while the rest of the source
   * is read); a source that ends first is looked up row by row.
   */
  async readBothSides(): Promise<void> {
    const o = this.options;
    const spool = this.openSpool();
    const asked = o.strategy ?? 'auto';
    const givenCap = o.maxItems === undefined || o.maxItems === 'auto' ? undefined : o.maxItems;
    this.progressTimer = setInterval(() => this.progress(), o.progressIntervalMs ?? 1000);
    this.progressTimer.unref();
    if (asked !== 'walk') this.estimate = await estimateWalk(this.client, this.object, givenCap, o.signal);
    let walking: Promise<WalkOutcome> | undefined;
    let walkError: { error: unknown } | undefined;
    const startWalking = (reason: string): Promise<WalkOutcome> => {
      this.strategy = 'walk';
      this.strategyReason = reason;
      const started = this.walkCrm(spool, givenCap);
      started.catch((error: unknown) => (walkError = { error }));
      walking = started;
      return started;
    };
    if (asked === 'walk') void startWalking('asked for (--strategy walk)');
    const threshold = this.estimate?.requests ?? Infinity;
    await spoolSource({
      file: o.file,
      source: this.source,
      lists: this.lists,
      state: this.state as StateStore,
      scope: this.scope,
      client: this.client,
      spool,
      concurrency: this.concurrency,
      signal: o.signal,
      counts: this.counts,
      onRow: () => {
        if (walkError) throw walkError.error;
        // On a tie the walk wins: it also finds the extra records.
        if (asked === 'auto' && walking === undefined && this.counts.valid >= threshold) {
          void startWalking(`${threshold} source rows or more, and a walk of ${this.walkText()} is estimated at ~${threshold} requests`);
        }
      },
    });
    if (walking !== undefined) {
      this.walk = await walking;
      return;
    }
    this.strategy = 'lookup';
    this.strategyReason =
      asked === 'lookup'
        ? 'asked for (--strategy lookup)'
        : `${this.counts.valid} source rows to look up, and a walk of ${this.walkText()} is estimated at ~${threshold} requests`;
    this.phase = 'look-up';
    const looked = await lookUpRows({
      client: this.client,
      object: this.object,
      spool,
      matchTag: this.source.mapping.match,
      cap: this.estimate?.cap ?? givenCap ?? 1000,
      concurrency: this.concurrency,
      signal: o.signal,
      onRows: (n) => (this.counts.lookedUp = n),
    });
    if (looked.cut) {
      this.warn('a look-up came back as long as the server\'s reply cap, so it may have been cut: the whole object was walked instead');
      this.phase = 'read';
      // The walk counts what it reads against TOTAL: it starts from nothing.
      spool.clearRecords();
      this.walk = await startWalking('look-ups could not be sure (a full reply): walked instead');
    }
  }

  /** `20,000 customers at max-items 100`, for the strategy's reason. */
  private walkText(): string {
    const e = this.estimate;
    if (!e) return 'the object';
    const what = `${e.total} ${this.object.name === 'FOLLOWUP' ? 'cases\' follow-ups' : `${this.object.name.toLowerCase()} records`}`;
    return `${what} ${e.capKnown ? `at max-items ${e.cap}` : '(one reply held them all)'}`;
  }

  private walkCrm(spool: JoinSpool, givenCap: number | undefined): Promise<WalkOutcome> {
    return walkCrm({
      client: this.client,
      object: this.object,
      spool,
      maxItems: givenCap,
      cap: this.estimate?.replyCap,
      concurrency: this.concurrency,
      timeZone: this.options.timezone ?? 'UTC',
      now: this.startedAt,
      signal: this.options.signal,
      onFailure: (f) => this.options.logger?.warn({ query: f.query, code: f.code }, f.message),
    });
  }

  /** The join, row by row in source order, into the CSV files; then the extra records. */
  async compare(): Promise<ReconcileFiles> {
    const spool = this.spool as JoinSpool;
    const { mapping, header, input } = this.source;
    this.ended.read = performance.now() - this.started;
    this.phase = 'compare';
    const columns = header.slice(reportPrefixLength(header));
    const files = new ReconcileFiles(this.outDir, columns, spool.tags, {
      delimiter: mapping.csv.delimiter,
      quote: mapping.csv.quote,
      encoding: input.encoding,
      escapeFormulas: this.options.escapeFormulas ?? true,
    });
    this.joiner = new SideJoiner({ mapping, object: this.object, lists: this.lists, spool, files, compared: this.compared, columns });
    try {
      await this.joiner.joinAll();
      if (mapping.match === undefined) {
        this.warn('extra records were not looked for: the mapping has no match: field, so a record the source lacks cannot be told from one made another way');
      } else if (this.strategy !== 'walk') {
        this.warn('extra records were not looked for: the look-up strategy reads only the records the source names (use --strategy walk to find them)');
      } else {
        this.extra = await this.joiner.writeExtras();
      }
      await files.close();
      this.ended.compare = performance.now() - this.started;
    } catch (error) {
      files.destroy();
      throw error;
    }
    return files;
  }

  async finish(files: ReconcileFiles): Promise<ReconcileSummary> {
    const mapping = this.source.mapping;
    const c = (this.joiner as SideJoiner).counts;
    if (mapping.action === 'add' && c.different > 0) {
      this.warn(`${c.different} rows differ, and mapping "${mapping.name}" adds only: importing repair.csv with it refuses them as already existing (an upsert mapping modifies them)`);
    }
    if (mapping.action === 'modify' && c.missing > 0) {
      this.warn(`${c.missing} rows are missing, and mapping "${mapping.name}" modifies only: importing repair.csv with it cannot add them (an upsert mapping can)`);
    }
    const problems = this.walk?.problems ?? [];
    for (const problem of problems) this.warn(`the CRM side may be incomplete: ${problem}`);
    const disagree = c.missing + c.different + c.invalid + (this.extra ?? 0);
    const exitCode: 0 | 1 = disagree > 0 || problems.length > 0 ? 1 : 0;
    this.progress();
    const summary: ReconcileSummary = {
      status: problems.length > 0 ? 'incomplete' : 'completed',
      exitCode,
      mapping: mapping.name,
      object: mapping.object,
      input: resolve(this.cwd, this.options.file),
      encoding: this.source.input.encoding,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      strategy: this.strategy,
      strategyReason: this.strategyReason,
      sourceRows: this.counts.rows,
      matched: c.same + c.different,
      same: c.same,
      missing: c.missing,
      different: c.different,
      differentFields: c.differentFields,
      extra: this.extra,
      invalid: c.invalid,
      differingFields: Object.fromEntries([...(this.joiner?.differing.entries() ?? [])].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
      crmRecords: this.spool?.records ?? 0,
      requests: this.requests(),
      retries: this.base.retries + this.client.stats.retries,
      estimate: { walkRequests: this.estimate?.requests ?? null, lookupRequests: this.counts.valid },
      walk: this.walk
        ? { apiTotal: this.walk.apiTotal, countMatches: this.walk.countMatches, failedRanges: this.walk.failedRanges.length, maxItems: this.walk.maxItems }
        : null,
      elapsedMs: Math.round(performance.now() - this.started),
      timings: { readMs: Math.round(this.ended.read ?? 0), compareMs: Math.round((this.ended.compare ?? 0) - (this.ended.read ?? 0)) },
      warnings: [...this.warnings],
      escapedFormulas: this.options.escapeFormulas ?? true,
      outDir: this.outDir,
      stateFile: this.stateFile,
      files: { ...files.paths, summary: '', report: undefined },
    };
    const summaryFile = await writeReconcileSummary(this.outDir, summary);
    const result: ReconcileSummary = { ...summary, files: { ...summary.files, summary: summaryFile } };
    try {
      const o = this.options;
      result.files.report = await writeRunReport(
        this.outDir,
        reconcileRunReport(result, {
          endpoint: this.scope.endpoint,
          tenant: o.connection.credentials.tenant,
          flags: { strategy: o.strategy ?? 'auto', 'max-items': o.maxItems ?? 'auto', concurrency: this.concurrency, rate: o.rate, timezone: o.timezone },
          timeline: this.recorder.samples(),
          errorGroups: this.joiner?.grouper.groups() ?? [],
          errorsNotGrouped: this.joiner?.grouper.ungrouped ?? 0,
        }),
      );
    } catch (error) {
      // The CSV files and summary.json say everything; the page is a view of them.
      this.warn(`report.html could not be written: ${(error as Error).message}`);
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.progressTimer) clearInterval(this.progressTimer);
    this.spool?.close();
    this.state?.close();
    await this.client?.close();
  }
}

/**
 * Compare a CSV, read through its import mapping, with what the CRM holds (README "Reconcile").
 * Resolves to the summary (exitCode 0 when they agree, 1 when they differ or the CRM side could
 * not be read in full); rejects when it could not run (bad options or mapping, a CSV syntax
 * error, the server unreachable, a refused login).
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileSummary> {
  const run = new ReconcileRun(options);
  try {
    await run.readInput();
    await run.connect();
    run.openState();
    await run.prepareOut();
    await run.readBothSides();
    const files = await run.compare();
    return await run.finish(files);
  } finally {
    await run.close();
  }
}
