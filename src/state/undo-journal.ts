import type { Database, Statement } from 'better-sqlite3';
import type { CrmScope } from './crm-scope.js';
import { ID_MAP_FORGET } from './id-map-sql.js';

/**
 * What undo did to one row of the run it takes back:
 * - deleted: the record the run added is deleted;
 * - restored: the fields the run modified hold their earlier values again;
 * - gone: the record was no longer there (deleted by someone, or with a parent undo deleted);
 * - refused: changed in the CRM since the run (or otherwise unsafe): left alone, --force to insist;
 * - failed: the API refused, or the record could only be partly restored.
 */
export type UndoOutcome = 'deleted' | 'restored' | 'gone' | 'refused' | 'failed';
/** What undo was about to do when its pending entry was written. */
export type UndoAction = 'delete' | 'restore';

/** Outcomes after which a row needs nothing more: a later undo skips it. */
export const FINAL_UNDO: ReadonlySet<string> = new Set<UndoOutcome>(['deleted', 'restored', 'gone']);

export interface UndoEntry {
  readonly row: number;
  readonly key: string;
  readonly status: 'pending' | 'done';
  readonly planned?: UndoAction | undefined;
  readonly outcome?: UndoOutcome | undefined;
  readonly id?: string | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  readonly note?: string | undefined;
}

interface Row {
  row: number;
  key: string;
  status: 'pending' | 'done';
  planned: UndoAction | null;
  outcome: UndoOutcome | null;
  id: string | null;
  code: string | null;
  error: string | null;
  note: string | null;
}

/**
 * The journal of an undo run, in the state file's journal table under the undo run's id: a row
 * is `pending` (with what undo is about to do) before its DELETE or MODIFY goes out and `done`
 * after, so an undo stopped by a crash is continued by the next one and never deletes twice.
 */
/** An undo row's outcome, as finish() records it. */
type FinishedEntry = Omit<UndoEntry, 'status' | 'planned'> & { outcome: UndoOutcome };

export class UndoJournal {
  private readonly pendingStmt: Statement<[number, number, string, UndoAction, string]>;
  private readonly doneStmt: Statement<[number, number, string, UndoOutcome, string | null, string | null, string | null, string | null]>;
  private readonly forgetStmt: Statement<[string, string, string, string]>;
  private readonly finishTx: (entry: FinishedEntry, forget?: { object: string; id: string }) => void;

  constructor(
    private readonly db: Database,
    readonly runId: number,
    readonly scope: CrmScope,
  ) {
    this.pendingStmt = db.prepare(
      `INSERT INTO journal (run_id, row, key, status, planned, id) VALUES (?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (run_id, row) DO UPDATE SET status = 'pending', planned = excluded.planned, id = excluded.id`,
    );
    this.doneStmt = db.prepare(
      `INSERT INTO journal (run_id, row, key, status, outcome, id, code, error, note) VALUES (?, ?, ?, 'done', ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, row) DO UPDATE SET status = 'done', outcome = excluded.outcome, id = excluded.id,
         code = excluded.code, error = excluded.error, note = excluded.note`,
    );
    this.forgetStmt = db.prepare(ID_MAP_FORGET);
    this.finishTx = db.transaction((entry: FinishedEntry, forget?: { object: string; id: string }) => {
      this.doneStmt.run(this.runId, entry.row, entry.key, entry.outcome, entry.id ?? null, entry.code ?? null, entry.error ?? null, entry.note ?? null);
      if (forget) this.forgetStmt.run(this.scope.endpoint, this.scope.tenant, forget.object, forget.id);
    });
  }

  pending(row: number, key: string, planned: UndoAction, id: string): void {
    this.pendingStmt.run(this.runId, row, key, planned, id);
  }

  /** The row's outcome; a deleted record's id map entries go in the same transaction. */
  finish(entry: FinishedEntry, forget?: { object: string; id: string }): void {
    this.finishTx(entry, forget);
  }

  /** The entries of every undo run of `target`, latest first per row: what was already undone. */
  static history(db: Database, target: number): Map<number, UndoEntry> {
    const rows = db
      .prepare(
        `SELECT j.* FROM journal j JOIN runs r ON r.id = j.run_id
         WHERE r.kind = 'undo' AND r.undo_of = ? ORDER BY j.run_id ASC`,
      )
      .all(target) as Row[];
    const latest = new Map<number, UndoEntry>();
    for (const r of rows) {
      latest.set(r.row, {
        row: r.row,
        key: r.key,
        status: r.status,
        planned: r.planned ?? undefined,
        outcome: r.outcome ?? undefined,
        id: r.id ?? undefined,
        code: r.code ?? undefined,
        error: r.error ?? undefined,
        note: r.note ?? undefined,
      });
    }
    return latest;
  }
}
