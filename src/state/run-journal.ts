import type { Database, Statement } from 'better-sqlite3';
import type { CrmScope } from './crm-scope.js';
import { ID_MAP_FORGET, ID_MAP_UPSERT } from './id-map-sql.js';

/** `skipped`: not sent, because the id map says an earlier run already added the row's key. */
export type RowOutcome = 'added' | 'modified' | 'unchanged' | 'skipped' | 'deleted' | 'failed';
/** What a row was about to do when its pending entry was written. */
export type PlannedAction = 'add' | 'modify' | 'delete';

export interface JournalEntry {
  readonly row: number;
  readonly key: string;
  /** pending: written before the request went out; done: the outcome is final. */
  readonly status: 'pending' | 'done';
  readonly planned?: PlannedAction | undefined;
  readonly outcome?: RowOutcome | undefined;
  readonly id?: string | undefined;
  readonly stage?: string | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  readonly note?: string | undefined;
  /** The values a MODIFY replaced, by tag (undo restores them). */
  readonly before?: Readonly<Record<string, string>> | undefined;
  /** The values the run sent, by tag (undo's "changed since the run" check). */
  readonly after?: Readonly<Record<string, string>> | undefined;
}

/** The final outcome of a row. */
export interface RowResult {
  readonly row: number;
  readonly key: string;
  readonly outcome: RowOutcome;
  readonly id?: string | undefined;
  readonly stage?: string | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  /** For a skipped row: which run imported the key, and as which id. */
  readonly note?: string | undefined;
  /** Before-image and values sent, for undo (modify and upsert rows; `after` for adds too). */
  readonly before?: Readonly<Record<string, string>> | undefined;
  readonly after?: Readonly<Record<string, string>> | undefined;
}

/** An id map entry to record with a row's result. */
export interface IdMapWrite {
  readonly mapping: string;
  readonly key: string;
  readonly object: string;
  readonly id: string;
}

/** A record deleted: the id map entries that pointed at it go. */
export interface IdForget {
  readonly object: string;
  readonly id: string;
}

interface Row {
  row: number;
  key: string;
  status: 'pending' | 'done';
  planned: PlannedAction | null;
  outcome: RowOutcome | null;
  id: string | null;
  stage: string | null;
  code: string | null;
  error: string | null;
  note: string | null;
  before: string | null;
  after: string | null;
}

function toEntry(r: Row): JournalEntry {
  return {
    row: r.row,
    key: r.key,
    status: r.status,
    planned: r.planned ?? undefined,
    outcome: r.outcome ?? undefined,
    id: r.id ?? undefined,
    stage: r.stage ?? undefined,
    code: r.code ?? undefined,
    error: r.error ?? undefined,
    note: r.note ?? undefined,
    before: unjson(r.before),
    after: unjson(r.after),
  };
}

const json = (value: Readonly<Record<string, string>> | undefined): string | null => (value === undefined ? null : JSON.stringify(value));
const unjson = (text: string | null): Record<string, string> | undefined => (text === null ? undefined : (JSON.parse(text) as Record<string, string>));

/**
 * The journal of one run: one entry per input row. A row gets a "pending" entry before its
 * write request is sent and a "done" entry (with the id map, in one transaction) before its
 * result is reported, so a resumed run knows which rows finished and which were in flight.
 */
export class RunJournal {
  private readonly getStmt: Statement<[number, number], Row>;
  private readonly pendingStmt: Statement<[number, number, string, string, string | null]>;
  private readonly doneStmt: Statement<[number, number, string, string, string | null, string | null, string | null, string | null, string | null, string | null, string | null]>;
  private readonly clearStmt: Statement<[number, number]>;
  private readonly idStmt: Statement<[string, string, string, string, string, string, number, string]>;
  private readonly forgetStmt: Statement<[string, string, string, string]>;
  private readonly finishTx: (result: RowResult, idMap: IdMapWrite | undefined, forget?: IdForget) => void;

  constructor(
    private readonly db: Database,
    readonly runId: number,
    /** The CRM the run writes to: its id map entries belong to it. */
    readonly scope: CrmScope,
  ) {
    this.getStmt = db.prepare('SELECT * FROM journal WHERE run_id = ? AND row = ?');
    this.pendingStmt = db.prepare(
      `INSERT INTO journal (run_id, row, key, status, planned, before) VALUES (?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (run_id, row) DO UPDATE SET key = excluded.key, status = 'pending', planned = excluded.planned, before = excluded.before`,
    );
    this.doneStmt = db.prepare(
      `INSERT INTO journal (run_id, row, key, status, outcome, id, stage, code, error, note, before, after) VALUES (?, ?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, row) DO UPDATE SET key = excluded.key, status = 'done', outcome = excluded.outcome,
         id = excluded.id, stage = excluded.stage, code = excluded.code, error = excluded.error, note = excluded.note,
         before = coalesce(excluded.before, journal.before), after = excluded.after`,
    );
    this.clearStmt = db.prepare('DELETE FROM journal WHERE run_id = ? AND row = ?');
    this.idStmt = db.prepare(ID_MAP_UPSERT);
    this.forgetStmt = db.prepare(ID_MAP_FORGET);
    this.finishTx = db.transaction((result: RowResult, idMap: IdMapWrite | undefined, forget?: IdForget) => this.finishRow(result, idMap, forget));
  }

  private finishRow(result: RowResult, idMap: IdMapWrite | undefined, forget?: IdForget): void {
    const { row, key, outcome, id, stage, code, error, note, before, after } = result;
    this.doneStmt.run(this.runId, row, key, outcome, id ?? null, stage ?? null, code ?? null, error ?? null, note ?? null, json(before), json(after));
    if (idMap) {
      const { endpoint, tenant } = this.scope;
      this.idStmt.run(endpoint, tenant, idMap.mapping, idMap.key, idMap.object, idMap.id, this.runId, new Date().toISOString());
    }
    // A record deleted: no id map entry may point at it any more (a ref would name a dead id).
    if (forget) this.forgetStmt.run(this.scope.endpoint, this.scope.tenant, forget.object, forget.id);
  }

  /**
   * Group commit: entries written while requests are in flight are queued and committed
   * together once the current turn of the event loop is done (the replies that arrived in one
   * poll), one transaction instead of one per entry. The promise resolves once the entry is
   * committed, and only then may the caller send the row (pending) or report it (finish).
   */
  private queue: Array<() => void> = [];
  private settle: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;
  private readonly flushTx = (ops: Array<() => void>) => this.db.transaction(() => ops.forEach((op) => op()))();

  private enqueue(op: () => void): Promise<void> {
    this.queue.push(op);
    const done = new Promise<void>((resolve, reject) => this.settle.push({ resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return done;
  }

  /** Commit what is queued now (also called before the run closes the file). */
  flush(): void {
    this.scheduled = false;
    const ops = this.queue;
    const settle = this.settle;
    this.queue = [];
    this.settle = [];
    if (ops.length === 0) return;
    try {
      this.flushTx(ops);
    } catch (error) {
      for (const s of settle) s.reject(error);
      return;
    }
    for (const s of settle) s.resolve();
  }

  /**
   * `pending`, group-committed. A MODIFY's before-image goes with it, so that undo can restore a
   * row whose outcome a crash left unknown.
   */
  pendingSoon(row: number, key: string, planned: PlannedAction, before?: Readonly<Record<string, string>>): Promise<void> {
    return this.enqueue(() => this.pendingStmt.run(this.runId, row, key, planned, json(before)));
  }

  /** `finish`, group-committed. */
  finishSoon(result: RowResult, idMap?: IdMapWrite, forget?: IdForget): Promise<void> {
    return this.enqueue(() => this.finishRow(result, idMap, forget));
  }

  get(row: number): JournalEntry | undefined {
    const r = this.getStmt.get(this.runId, row);
    return r ? toEntry(r) : undefined;
  }

  /** Every entry of the run in row order (reading, not for the hot path). */
  *entries(): Generator<JournalEntry> {
    for (const r of this.db.prepare('SELECT * FROM journal WHERE run_id = ? ORDER BY row').iterate(this.runId) as IterableIterator<Row>) yield toEntry(r);
  }

  /** Written (and committed) before the row's ADD or MODIFY goes out. */
  pending(row: number, key: string, planned: PlannedAction, before?: Readonly<Record<string, string>>): void {
    this.pendingStmt.run(this.runId, row, key, planned, json(before));
  }

  /** The row's final outcome, with its id map entry, in one transaction. */
  finish(result: RowResult, idMap?: IdMapWrite, forget?: IdForget): void {
    this.finishTx(result, idMap, forget);
  }

  /** Forget a pending entry whose request surely never reached the server, so --resume sends it. */
  clear(row: number): void {
    this.clearStmt.run(this.runId, row);
  }

  /** Entries by status and outcome, for reports and tests. */
  counts(): { pending: number; done: number; failed: number } {
    const r = this.db
      .prepare(
        `SELECT sum(status = 'pending') AS pending, sum(status = 'done') AS done,
                sum(status = 'done' AND outcome = 'failed') AS failed FROM journal WHERE run_id = ?`,
      )
      .get(this.runId) as { pending: number | null; done: number | null; failed: number | null };
    return { pending: r.pending ?? 0, done: r.done ?? 0, failed: r.failed ?? 0 };
  }
}
