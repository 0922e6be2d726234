import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Logger } from 'pino';
import { objectDef, type ObjectDef } from '../protocol/catalogue.js';
import { ConfigError } from '../protocol/errors.js';
import type { Credentials } from '../protocol/request.js';
import { WapiClient, type ClientConnection } from '../client/wapi-client.js';
import { StateStore } from '../state/state-store.js';
import { cellValue, chooseColumns, type OutputColumn } from './columns.js';
import { parseDayOption } from './dates.js';
import type { DayWindow } from './day-windows.js';
import { BookmarkTracker, formatBookmark, isNewSince, parseBookmark, startDay } from './incremental.js';
import { orderedRows, type OrderStats } from './ordered-rows.js';
import { planCustomers } from './plan-customers.js';
import { planFaqCategories, planFaqs } from './plan-faqs.js';
import { planFollowups } from './plan-followups.js';
import type { FailedRange, Item, Plan, PlanContext, PlanStats } from './plan-types.js';
import { planWindows } from './plan-windows.js';
import type { RecordFilter } from './record-filter.js';
import { loadReverseMapping } from './reverse-mapping.js';
import { outputPaths } from './output-paths.js';
import { filterIdTag, recordKey } from './record-key.js';

export const EXPORT_OBJECTS = ['customer', 'case', 'task', 'followup', 'faq', 'faqcategory'] as const;

export interface ExportOptions {
  /** customer, case, task, followup, faq or faqcategory. */
  readonly object: string;
  /** The CSV to write; `<name>.errors.csv` and `<name>.summary.json` go beside it. */
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
  /** The server's reply cap (default 1000). Must not exceed the server's real cap. */
  readonly maxItems?: number;
  /** Queries in flight (default 4). */
  readonly concurrency?: number;
  /** Requests per second (default: unpaced). */
  readonly rate?: number;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly bom?: boolean;
  readonly rawDates?: boolean;
  readonly logger?: Logger;
  /** Called with the tags of every GET the planner sends (tracing, benchmarks). */
  readonly onQuery?: (tags: readonly (readonly [string, string])[]) => void;
  /** The clock's "now", for tests. */
  readonly now?: () => Date;
}

export interface ExportSummary {
  readonly object: string;
  readonly out: string;
  readonly errorsFile: string;
  readonly summaryFile: string;
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
  readonly duplicates: number;
  /** ITEMs received in all replies: records plus what was read again or filtered out. */
  readonly itemsReceived: number;
  readonly requestsPerRecord: number;
  readonly elapsedMs: number;
  readonly incremental: { readonly since: string | null; readonly bookmark: string | null; readonly skipped: number } | null;
  readonly warnings: readonly string[];
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
  for (const [name, value] of [['max-items', options.maxItems], ['concurrency', options.concurrency]] as const) {
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

/**
 * Export every record of an object to CSV (see README "Export"). Throws a WapiBulkError when
 * the run cannot start (bad options, unreachable server, refused login or permission); otherwise
 * resolves to the summary, whose exitCode is 1 when a range failed or the count does not match.
 */
export async function exportRecords(options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const object = checkOptions(options);
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
  const now = options.now ?? (() => new Date());
  const maxItems = options.maxItems ?? 1000;
  const concurrency = options.concurrency ?? 4;
  const reverse = options.mapping === undefined ? undefined : await loadReverseMapping(options.mapping, object);
  const warnings: string[] = [...(reverse?.warnings ?? [])];
  const cursor = CURSOR[object.name];
  let filter: RecordFilter = {
    fromId: options.fromId,
    toId: options.toId,
    created: window(day('created-from', options.createdFrom), day('created-to', options.createdTo), 'created'),
    modified: window(day('modified-from', options.modifiedFrom), day('modified-to', options.modifiedTo), 'modified'),
  };

  const state = options.state === undefined ? undefined : StateStore.open(options.state);
  const client = new WapiClient({
    ...options.connection,
    url: options.url,
    credentials: options.credentials,
    rate: options.rate,
    retries: options.retries,
    retryBaseMs: options.retryBaseMs,
    connections: Math.max(4, concurrency * 2),
    logger: options.logger,
  });
  const tmp = `${paths.csv}.partial`;
  try {
    const scope = `${options.credentials.tenant}@${options.url}`;
    const bookmark = state && cursor ? parseBookmark(state.getBookmark(`export:${object.name}`, scope)) : undefined;
    if (bookmark && cursor) {
      const since = { from: startDay(bookmark) };
      filter = cursor === 'LASTMODDATE' ? { ...filter, modified: { ...filter.modified, ...since } } : { ...filter, created: { ...filter.created, ...since } };
    }
    const keyOf = recordKey(object.name, object.idTag);
    const isNew = bookmark && cursor ? isNewSince(bookmark, keyOf, cursor) : () => true;
    const tracker = cursor ? new BookmarkTracker(keyOf, cursor, bookmark) : undefined;

    // Login first: a refused login is "could not start" for every object, summary or not.
    await client.ping();
    const stats: PlanStats = { ranges: 0, bisections: 0, failedRanges: 0 };
    const errors = stringify({ header: true, columns: ['query', 'code', 'message'] });
    const errorsDone = pipeline(errors, createWriteStream(paths.errors));
    // Awaited below; this keeps an early failure (a full disk) from being an unhandled rejection.
    errorsDone.catch(() => undefined);
    let largestReply = 0;
    let itemsReceived = 0;
    const ctx: PlanContext = {
      maxItems,
      concurrency,
      stats,
      query: async (tags) => {
        options.onQuery?.(tags);
        const reply = await client.call({ object: object.name, action: 'GET', tags });
        largestReply = Math.max(largestReply, reply.items.length);
        itemsReceived += reply.items.length;
        return reply.items;
      },
      send: async (name, action, tags) => (await client.call({ object: name, action, tags })).items,
      onFailure: (failure: FailedRange) => {
        options.logger?.warn({ query: failure.query, code: failure.code }, failure.message);
        errors.write([failure.query, failure.code, failure.message]);
      },
    };

    let plan: Plan;
    try {
      plan = await makePlan(object, ctx, filter, now());
    } catch (error) {
      errors.end();
      await errorsDone.catch(() => undefined);
      throw error;
    }

    const order: OrderStats = { duplicates: 0, withoutId: 0 };
    let records = 0;
    let counted = 0;
    let skipped = 0;
    let columns: OutputColumn[] = [];
    async function* lines(): AsyncGenerator<string[]> {
      for await (const row of orderedRows(plan, keyOf, order, (keys) => {
        const chosen = chooseColumns(object, keys, { columns: options.columns, mapping: reverse?.columns });
        columns = chosen.columns;
        warnings.push(...chosen.warnings);
      })) {
        if (records === 0 && skipped === 0) yield columns.map((c) => c.header);
        if (!isNew(row.item)) {
          skipped++;
          continue;
        }
        records++;
        if (row.counted) counted++;
        tracker?.add(row.item);
        yield columns.map((c) => cellValue(c, row.item as Item, options.rawDates ?? false));
      }
      if (records === 0 && skipped === 0) yield columns.map((c) => c.header);
    }
    try {
      await pipeline(Readable.from(lines()), stringify({ bom: options.bom ?? false }), createWriteStream(tmp));
    } finally {
      errors.end();
      await errorsDone;
    }
    await rename(tmp, paths.csv);

    if (largestReply > maxItems) {
      warnings.push(`the server returned ${largestReply} records in one reply: its cap is above --max-items ${maxItems}; a higher --max-items saves requests`);
    }
    if (order.withoutId > 0) warnings.push(`${order.withoutId} records came without a usable ${filterIdTag(object.name, object.idTag)} and were not written`);
    const countMatches = bookmark || plan.expectedTotal === undefined ? null : counted === plan.expectedTotal;
    const failed = stats.failedRanges > 0 || countMatches === false || order.withoutId > 0;
    const next = tracker?.value();
    if (state && next && !failed) state.setBookmark(`export:${object.name}`, formatBookmark(next), scope);
    const requests = client.stats.requests;
    const summary: ExportSummary = {
      object: object.name.toLowerCase(),
      out: paths.csv,
      errorsFile: paths.errors,
      summaryFile: paths.summary,
      records,
      countedRecords: counted,
      hiddenRecords: plan.apiTotal === undefined ? 0 : records - counted,
      apiTotal: plan.apiTotal ?? null,
      countMatches,
      requests,
      retries: client.stats.retries,
      ranges: stats.ranges,
      bisections: stats.bisections,
      failedRanges: stats.failedRanges,
      duplicates: order.duplicates,
      itemsReceived,
      requestsPerRecord: records === 0 ? requests : Math.round((requests / records) * 10_000) / 10_000,
      elapsedMs: Math.round(performance.now() - started),
      incremental: state
        ? { since: bookmark?.at ?? null, bookmark: failed ? (bookmark?.at ?? null) : (next?.at ?? null), skipped }
        : null,
      warnings,
      exitCode: failed ? 1 : 0,
    };
    await writeFile(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    state?.close();
    await client.close();
  }
}

async function makePlan(object: ObjectDef, ctx: PlanContext, filter: RecordFilter, now: Date): Promise<Plan> {
  const today = Math.floor(now.getTime() / 86_400_000);
  switch (object.name) {
    case 'CUSTOMER':
      return planCustomers(ctx, { filter });
    case 'CASE':
    case 'TASK':
      return planWindows(ctx, { object: object.name, filter, today });
    case 'FOLLOWUP':
      return planFollowups(ctx, filter);
    case 'FAQ':
      return planFaqs(ctx, filter);
    case 'FAQCATEGORY':
      return planFaqCategories(ctx, filter);
  }
}
