/**
 * `wapi-bulk undo`: take an import run back, exactly. What the run added is deleted; what it
 * modified gets the values it had before (the before-images the import journaled), field by
 * field. A record changed in the CRM since the run is refused unless --force; every row ends in
 * success.csv or errors.csv, and the undo's own journal makes it resumable after a crash without
 * deleting anything twice.
 */
import { setMaxListeners } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { WapiClient, type ClientConnection } from '../client/wapi-client.js';
import { fieldDef, objectDef, type ObjectDef } from '../protocol/catalogue.js';
import { ApiRejection, ConfigError, WapiBulkError } from '../protocol/errors.js';
import { sameValue } from '../import/same-values.js';
import { defaultRunFolder, checkExplicitOut, prepareRunFolder } from '../import/run-folder.js';
import { PRIVATE_FILE_MODE, ReportWriter } from '../report/report-writer.js';
import { ErrorGrouper, runStatusOf, writeRunReport, type RunReport } from '../report/run-report/index.js';
import { describeScope, sameScope, scopeOf } from '../state/crm-scope.js';
import type { JournalEntry } from '../state/run-journal.js';
import { DEFAULT_STATE_FILE, liveHolder, StateStore, type RunInfo } from '../state/state-store.js';
import { FINAL_UNDO, type UndoEntry, type UndoJournal, type UndoOutcome } from '../state/undo-journal.js';
import { childrenOf } from '../import/record-children.js';

export interface UndoOptions {
  /** The runs to take back; default: the latest import run of the state file not fully undone. */
  readonly runs?: readonly number[] | undefined;
  readonly connection: ClientConnection;
  readonly state?: string | undefined;
  /** Report folder; default `wapi-bulk-out/<mapping>/undo-<runs>-<started>/`. */
  readonly out?: string | undefined;
  readonly overwrite?: boolean | undefined;
  /** Read the CRM and say what would be deleted and restored; change nothing. */
  readonly dryRun?: boolean | undefined;
  /** Take back records changed in the CRM since the run, and customers/cases with children. */
  readonly force?: boolean | undefined;
  readonly concurrency?: number | undefined;
  /** Stops gracefully: requests in flight finish, the rest is left for the next undo. */
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  readonly onWarning?: ((message: string) => void) | undefined;
  readonly onProgress?: ((done: number, total: number, failed: number) => void) | undefined;
  readonly escapeFormulas?: boolean | undefined;
  readonly cwd?: string | undefined;
}

export interface UndoCounts {
  /** Rows of the runs that wrote something (added or modified): what undo takes back. */
  rows: number;
  /** deleted + restored + gone: nothing of the run is left in these rows. */
  undone: number;
  deleted: number;
  restored: number;
  /** The record was no longer in the CRM (deleted since, or with a parent). */
  gone: number;
  refused: number;
  failed: number;
  /** Rows not reached: the undo was stopped. */
  pending: number;
}

export interface UndoSummary extends UndoCounts {
  readonly status: 'completed' | 'stopped';
  readonly exitCode: number;
  readonly mode: 'undo' | 'dry-run';
  /** The runs taken back, and the undo runs recorded for them (none for a dry run). */
  readonly targets: number[];
  readonly undoRuns: number[];
  readonly requests: number;
  readonly retries: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly elapsedMs: number;
  readonly outDir: string;
  readonly files: { readonly success: string; readonly errors: string; readonly summary: string; readonly report: string | undefined };
}

/** Children before parents: a customer's cases and tasks are taken back before the customer. */
const DEPTH: Readonly<Record<string, number>> = { FOLLOWUP: 0, TASK: 1, CASE: 2, CUSTOMER: 3 };

type Item = Readonly<Record<string, string>>;

interface RowPlan {
  readonly target: RunInfo;
  readonly object: ObjectDef;
  readonly entry: JournalEntry;
  readonly earlier: UndoEntry | undefined;
  readonly journal: UndoJournal | undefined;
}

interface RowResult {
  readonly outcome: UndoOutcome;
  readonly code?: string;
  readonly message?: string;
  readonly note?: string;
}

const emptyCounts = (): UndoCounts => ({ rows: 0, undone: 0, deleted: 0, restored: 0, gone: 0, refused: 0, failed: 0, pending: 0 });

/** The rows an undo of a run reports on: its writes, its deletes (refused: they cannot be undone), and rows left in flight. */
function undoableEntry(entry: JournalEntry): boolean {
  return entry.status === 'done' ? (entry.outcome === 'added' || entry.outcome === 'modified' || entry.outcome === 'deleted') && entry.id !== undefined : entry.planned !== undefined;
}

/** A row undo can take back: an add or a modify with its id, or one left in flight (settled by --resume first). */
function takesBack(entry: JournalEntry): boolean {
  return undoableEntry(entry) && entry.outcome !== 'deleted' && entry.planned !== 'delete';
}

/**
 * How much of an import run undo can take back (`rows`) and has taken back (`undone`): what
 * `wapi-bulk runs` shows, and how `undo` without --run picks its run. A delete run's rows are not
 * counted: no undo brings a deleted record back, so such a run is never the one picked.
 */
export function undoProgress(state: StateStore, runId: number): { rows: number; undone: number } {
  const history = state.undoHistory(runId);
  let rows = 0;
  let undone = 0;
  for (const entry of state.journal(runId).entries()) {
    if (!takesBack(entry)) continue;
    rows++;
    if (FINAL_UNDO.has(history.get(entry.row)?.outcome ?? '')) undone++;
  }
  return { rows, undone };
}

/** The runs to take back: those named, or the latest import run with something left to undo. */
function chooseTargets(state: StateStore, ids: readonly number[] | undefined): RunInfo[] {
  if (ids && ids.length > 0) {
    return ids.map((id) => {
      const run = state.run(id);
      if (!run) throw new ConfigError(`there is no run ${id} in ${state.file}`, 'wapi-bulk runs lists the runs of the state file');
      if (run.kind !== 'import') throw new ConfigError(`run ${id} is an undo, not an import: it cannot be undone`, 'name the import run it took back');
      return run;
    });
  }
  for (const run of state.runs()) {
    if (run.kind !== 'import') continue;
    const { rows, undone } = undoProgress(state, run.id);
    if (undone < rows) return [run];
  }
  throw new ConfigError(`nothing to undo in ${state.file}: every import run is fully undone, or wrote nothing`, 'wapi-bulk runs lists the runs');
}

/**
 * Take back one or more import runs. Resolves to the summary (exit code 0: all undone; 1: some
 * rows refused or failed; 130: stopped); rejects when it cannot start (no such run, another CRM,
 * the run still running, a refused login).
 */
export async function undoRuns(options: UndoOptions): Promise<UndoSummary> {
  const started = performance.now();
  const startedAt = new Date();
  const cwd = options.cwd ?? process.cwd();
  const dryRun = options.dryRun === true;
  const scope = scopeOf(options.connection.url, options.connection.credentials.tenant);
  const state = StateStore.open(resolve(cwd, options.state ?? DEFAULT_STATE_FILE), { readonly: dryRun });
  const client = new WapiClient({ ...options.connection, connections: options.concurrency ?? 4, logger: options.logger });
  const requests = new AbortController();
  setMaxListeners(100, requests.signal);
  try {
    const targets = chooseTargets(state, options.runs).sort((a, b) => (DEPTH[a.object] ?? 9) - (DEPTH[b.object] ?? 9) || b.id - a.id);
    for (const target of targets) {
      if (!sameScope(target.scope, scope)) {
        throw new WapiBulkError('STATE_MISMATCH', `run ${target.id} went to ${describeScope(target.scope)}, and this undo goes to ${describeScope(scope)}`, {
          hint: `undo it with the connection it had (--url ${target.scope.endpoint} --tenant ${target.scope.tenant})`,
        });
      }
      if (liveHolder(target)) throw new WapiBulkError('STATE_LOCKED', `run ${target.id} is still running (process ${target.pid} on ${target.host})`, { hint: 'stop it first' });
    }
    await client.ping(requests.signal);
    const outDir =
      options.out !== undefined
        ? resolve(cwd, options.out)
        : await defaultRunFolder(cwd, (targets[0] as RunInfo).mapping, `${dryRun ? 'undo-dry-run' : 'undo'}-${targets.map((t) => t.id).join('-')}`, startedAt);
    if (options.out !== undefined) await checkExplicitOut(outDir, { overwrite: options.overwrite === true, runId: undefined });
    await prepareRunFolder(outDir);
    const writer = new ReportWriter({ dir: outDir, header: [], escapeFormulas: options.escapeFormulas ?? true });
    const counts = emptyCounts();
    const undoRunIds: number[] = [];
    const deletedParents = new Set<string>();
    const groups = new ErrorGrouper();
    let stopped = false;
    const onStop = () => (stopped = true);
    options.signal?.addEventListener('abort', onStop, { once: true });
    const limit = pLimit(Math.max(1, options.concurrency ?? 4));
    try {
      for (const target of targets) {
        if (stopped) break;
        const object = objectDef(target.object) as ObjectDef;
        const history = state.undoHistory(target.id);
        const journal = dryRun ? undefined : state.startUndo(target);
        if (journal) undoRunIds.push(journal.runId);
        const entries = [...state.journal(target.id).entries()].filter(undoableEntry);
        counts.rows += entries.length;
        const tasks: Array<Promise<void>> = [];
        for (const entry of entries) {
          const plan: RowPlan = { target, object, entry, earlier: history.get(entry.row), journal };
          tasks.push(
            limit(async () => {
              if (stopped) {
                counts.pending++;
                return;
              }
              const result = await undoRow(plan, { client, dryRun, force: options.force === true, deletedParents, signal: requests.signal });
              const id = entry.id ?? '';
              const base = { row: entry.row, key: entry.key, id };
              if (FINAL_UNDO.has(result.outcome)) {
                counts[result.outcome as 'deleted' | 'restored' | 'gone']++;
                counts.undone++;
                await writer.writeSuccess({ ...base, action: dryRun ? `would be ${result.outcome}` : result.outcome, note: result.note }, []);
              } else {
                counts[result.outcome as 'refused' | 'failed']++;
                const code = result.code ?? (result.outcome === 'refused' ? 'UNDO_REFUSED' : 'UNDO_FAILED');
                groups.add({ row: entry.row, key: entry.key, stage: result.outcome, code, message: result.message ?? '' });
                writer.writeError({ row: entry.row, key: entry.key, stage: result.outcome, code, error: result.message ?? '' }, []);
              }
              if (journal && !dryRun && result.code !== 'IN_FLIGHT') {
                journal.finish(
                  { row: entry.row, key: entry.key, outcome: result.outcome, id, code: result.code, error: result.message, note: result.note },
                  result.outcome === 'deleted' ? { object: object.name, id } : undefined,
                );
              }
              options.onProgress?.(counts.undone + counts.refused + counts.failed, counts.rows, counts.refused + counts.failed);
            }),
          );
        }
        await Promise.all(tasks);
        if (journal) state.endRun(journal.runId, stopped ? 'interrupted' : 'finished', { ...counts });
      }
    } finally {
      options.signal?.removeEventListener('abort', onStop);
      await writer.close();
    }
    const exitCode = stopped ? 130 : counts.refused + counts.failed > 0 ? 1 : 0;
    const finishedAt = new Date().toISOString();
    const summaryFile = join(outDir, 'summary.json');
    const summary: UndoSummary = {
      ...counts,
      status: stopped ? 'stopped' : 'completed',
      exitCode,
      mode: dryRun ? 'dry-run' : 'undo',
      targets: targets.map((t) => t.id),
      undoRuns: undoRunIds,
      requests: client.stats.requests,
      retries: client.stats.retries,
      startedAt: startedAt.toISOString(),
      finishedAt,
      elapsedMs: Math.round(performance.now() - started),
      outDir,
      files: { success: writer.successFile, errors: writer.errorsFile, summary: summaryFile, report: undefined },
    };
    const { outDir: _o, files: _f, ...json } = summary;
    await writeFile(summaryFile, `${JSON.stringify(json, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    const report: RunReport = {
      kind: 'undo',
      title: `undo of run${targets.length === 1 ? '' : 's'} ${targets.map((t) => t.id).join(', ')}${dryRun ? ' (dry run)' : ''}`,
      settings: [
        { name: 'endpoint', value: scope.endpoint },
        { name: 'tenant', value: scope.tenant },
        { name: 'runs', value: targets.map((t) => `${t.id} (${t.mapping}, ${t.object.toLowerCase()} ${t.action})`).join('; ') },
        { name: 'force', value: options.force === true },
        { name: 'dry run', value: dryRun },
      ],
      status: runStatusOf(exitCode),
      exitCode,
      startedAt: summary.startedAt,
      finishedAt,
      elapsedMs: summary.elapsedMs,
      counts: { deleted: counts.deleted, restored: counts.restored, refused: counts.refused },
      extraCounts: [
        { label: 'already gone', value: counts.gone },
        { label: 'failed', value: counts.failed },
        { label: 'requests', value: summary.requests },
      ],
      timeline: [],
      errorGroups: groups.groups(),
      errorsNotGrouped: groups.ungrouped,
      errorsFile: { label: 'errors.csv', href: 'errors.csv' },
      links: [
        { label: 'success.csv', href: 'success.csv' },
        { label: 'errors.csv', href: 'errors.csv' },
        { label: 'summary.json', href: 'summary.json' },
      ],
    };
    return { ...summary, files: { ...summary.files, report: await writeRunReport(outDir, report).catch(() => undefined) } };
  } finally {
    state.close();
    await client.close();
  }
}

interface RowContext {
  readonly client: WapiClient;
  readonly dryRun: boolean;
  readonly force: boolean;
  /** Customers and cases this undo deleted: their children went with them. */
  readonly deletedParents: Set<string>;
  readonly signal: AbortSignal;
}

async function getRecord(client: WapiClient, object: ObjectDef, id: string, signal: AbortSignal): Promise<Item | undefined> {
  const reply = await client.call({ object: object.name, action: 'GET', tags: [[object.idTag, id]] }, { signal });
  return reply.items.find((item) => item[object.idTag] === id);
}

/** Fields whose value now is not what the run left: someone changed the record since. */
function changedSince(object: ObjectDef, left: Readonly<Record<string, string>> | undefined, now: Item): string[] {
  const out: string[] = [];
  for (const [tag, value] of Object.entries(left ?? {})) {
    if (tag === object.idTag || tag === object.parentTag) continue;
    if (!sameValue(fieldDef(object, tag), value, now[tag] ?? '')) out.push(`${tag} ${JSON.stringify(value)} -> ${JSON.stringify(now[tag] ?? '')}`);
  }
  return out;
}

async function undoRow(plan: RowPlan, ctx: RowContext): Promise<RowResult> {
  const { entry, object, target, earlier, journal } = plan;
  const id = entry.id ?? '';
  if (FINAL_UNDO.has(earlier?.outcome ?? '')) return { outcome: earlier?.outcome as UndoOutcome, note: `undone earlier (${earlier?.note ?? earlier?.outcome})` };
  if (entry.status === 'pending') {
    return { outcome: 'refused', code: 'OUTCOME_UNKNOWN', message: `run ${target.id} was interrupted while sending this row: whether it was applied is not known (run the import again with --resume to settle it, then undo)` };
  }
  if (entry.outcome === 'deleted') {
    return { outcome: 'refused', code: 'CANNOT_UNDELETE', message: `run ${target.id} deleted ${object.name.toLowerCase()} ${id}: undo cannot bring a deleted record back (its values are in the state file's journal)` };
  }
  try {
    const record = await getRecord(ctx.client, object, id, ctx.signal);
    if (record === undefined) {
      const parent = object.parentTag ? entry.after?.[object.parentTag] : undefined;
      const why = parent !== undefined && ctx.deletedParents.has(`${object.parentTag}:${parent}`) ? `deleted with ${object.parentTag === 'CASENUM' ? 'case' : 'customer'} ${parent} by this undo` : 'no longer in the CRM';
      // A crashed undo's DELETE that landed: the record is gone, and nothing is deleted twice.
      return { outcome: 'gone', note: earlier?.planned === 'delete' ? 'deleted by an earlier undo that was interrupted' : why };
    }
    return entry.outcome === 'added' ? await undoAdd(plan, ctx, record) : await undoModify(plan, ctx, record);
  } catch (error) {
    if (error instanceof ApiRejection && (error.code === 'WAPI_AUTH' || error.code === 'WAPI_PERMISSION')) throw error;
    const e = error as WapiBulkError;
    if (e.ambiguous && journal) return { outcome: 'failed', code: 'IN_FLIGHT', message: `${e.message}: it may have been applied; run undo again to check` };
    return { outcome: 'failed', code: e.code ?? 'UNDO_FAILED', message: error instanceof ApiRejection ? error.errorStr || error.message : e.message };
  }
}

async function undoAdd(plan: RowPlan, ctx: RowContext, record: Item): Promise<RowResult> {
  const { entry, object, target, journal } = plan;
  const id = entry.id ?? '';
  const changed = changedSince(object, entry.after, record);
  // A record modified after its creation: LASTMODDATE moved past CREATEDDATE.
  const created = record['CREATEDDATE'];
  const modified = record['LASTMODDATE'];
  if (created && modified && modified !== created && changed.length === 0) changed.push(`LASTMODDATE ${modified} is after CREATEDDATE ${created}`);
  if (changed.length > 0 && !ctx.force) {
    return { outcome: 'refused', code: 'CHANGED_SINCE', message: `changed in the CRM since run ${target.id} added it: ${changed.join('; ')} (add --force to delete it anyway)` };
  }
  // What the API would delete with this one that this undo does not take back itself.
  const children = await childrenOf((name, tags) => ctx.client.call({ object: name, action: 'GET', tags }, { signal: ctx.signal }).then((r) => r.items), object.name, id);
  if (children.length > 0 && !ctx.force) {
    return {
      outcome: 'refused',
      code: 'HAS_CHILDREN',
      message: `${object.name.toLowerCase()} ${id} has ${children.join(' and ')} that run ${target.id} did not add: deleting it deletes them too (undo the runs that added them first: wapi-bulk runs; or add --force)`,
    };
  }
  const note = children.length > 0 ? `the API deleted ${children.join(' and ')} with it` : undefined;
  if (ctx.dryRun) return { outcome: 'deleted', note };
  journal?.pending(entry.row, entry.key, 'delete', id);
  // A refusal throws: undoRow reports it as the row's failure (a refused login stops the undo).
  await ctx.client.call({ object: object.name, action: 'DELETE', tags: [[object.idTag, id]] }, { signal: ctx.signal });
  ctx.deletedParents.add(`${object.idTag}:${id}`);
  return { outcome: 'deleted', note };
}

async function undoModify(plan: RowPlan, ctx: RowContext, record: Item): Promise<RowResult> {
  const { entry, object, target, journal } = plan;
  const id = entry.id ?? '';
  const changed = changedSince(object, entry.after, record);
  if (changed.length > 0 && !ctx.force) {
    return { outcome: 'refused', code: 'CHANGED_SINCE', message: `changed in the CRM since run ${target.id} modified it: ${changed.join('; ')} (add --force to restore it anyway)` };
  }
  const before = entry.before ?? {};
  const restore: Array<[string, string]> = [];
  const cannotClear: string[] = [];
  for (const [tag, value] of Object.entries(before)) {
    if (sameValue(fieldDef(object, tag), value, record[tag] ?? '')) continue;
    // An empty tag in a request means "no value": the API keeps the field as it is.
    if (value === '') cannotClear.push(tag);
    else restore.push([tag, value]);
  }
  if (restore.length === 0 && cannotClear.length === 0) return { outcome: 'restored', note: 'already as before the run' };
  const clearNote = cannotClear.length > 0 ? `${cannotClear.join(', ')} ${cannotClear.length === 1 ? 'was' : 'were'} empty before the run, and the API cannot empty a field (an empty tag keeps the value): clear ${cannotClear.length === 1 ? 'it' : 'them'} in the CRM` : undefined;
  if (ctx.dryRun) return cannotClear.length > 0 ? { outcome: 'failed', code: 'CANNOT_CLEAR', message: clearNote } : { outcome: 'restored', note: `would restore ${restore.map(([t]) => t).join(', ')}` };
  if (restore.length > 0) {
    journal?.pending(entry.row, entry.key, 'restore', id);
    // A refusal throws: undoRow reports it as the row's failure (a refused login stops the undo).
    await ctx.client.call({ object: object.name, action: 'MODIFY', tags: [[object.idTag, id], ...restore] }, { signal: ctx.signal });
  }
  if (cannotClear.length > 0) return { outcome: 'failed', code: 'CANNOT_CLEAR', message: `restored ${restore.map(([t]) => t).join(', ') || 'nothing else'}; ${clearNote}` };
  const followup = object.name === 'CASE' ? ' (the API records the change as a follow-up of the case)' : '';
  return { outcome: 'restored', note: `restored ${restore.map(([t]) => t).join(', ')}${followup}` };
}
