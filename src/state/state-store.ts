import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { WapiBulkError } from '../protocol/errors.js';
import { migrate } from './schema.js';
import { RunJournal } from './run-journal.js';

/** Where the state lives unless --state says otherwise: shared by every mapping and run. */
export const DEFAULT_STATE_FILE = '.wapi-bulk/state.sqlite';

export interface IdMapEntry {
  readonly object: string;
  readonly id: string;
}

export type RunStatus = 'running' | 'finished' | 'interrupted' | 'failed';

export interface RunInfo {
  readonly id: number;
  readonly mapping: string;
  readonly object: string;
  readonly action: string;
  /** Absolute path of the input file. */
  readonly input: string;
  /** Size and a hash of the file's start: a resume of a changed file would shift row numbers. */
  readonly fingerprint: string;
  readonly mappingHash: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | undefined;
}

export interface NewRun {
  readonly mapping: string;
  readonly object: string;
  readonly action: string;
  readonly input: string;
  readonly fingerprint: string;
  readonly mappingHash: string;
  /** Where the run sends; never the credentials. */
  readonly url?: string;
  readonly tenant?: string;
}

export interface OpenStateOptions {
  /**
   * Open for reading only (dry runs, offline validation). A missing file then reads as an empty
   * state instead of being created.
   */
  readonly readonly?: boolean;
}

const now = (): string => new Date().toISOString();

interface RunRow {
  id: number;
  mapping: string;
  object: string;
  action: string;
  input: string;
  fingerprint: string;
  mapping_hash: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
}

function toRunInfo(row: RunRow): RunInfo {
  return {
    id: row.id,
    mapping: row.mapping,
    object: row.object,
    action: row.action,
    input: row.input,
    fingerprint: row.fingerprint,
    mappingHash: row.mapping_hash,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
  };
}

/**
 * The state file: the id map (mapping name, legacy key -> CRM id) shared across mappings and
 * runs, the runs with their per-row journal (what makes --resume exact), and the exporter's
 * bookmarks. SQLite in WAL mode with synchronous=NORMAL: a commit survives a crash or Ctrl-C
 * of wapi-bulk (the journal is the point of the file); only a power cut can lose the last ones.
 */
export class StateStore {
  readonly file: string;
  readonly readonly: boolean;
  private readonly db: Database.Database;
  private readonly getIdStmt: Database.Statement<[string, string], { object: string; id: string }>;
  private readonly setIdStmt: Database.Statement<[string, string, string, string, number | null, string]>;

  private constructor(file: string, db: Database.Database, readonly: boolean) {
    this.file = file;
    this.db = db;
    this.readonly = readonly;
    this.getIdStmt = db.prepare('SELECT object, id FROM id_map WHERE mapping = ? AND key = ?');
    this.setIdStmt = db.prepare(
      `INSERT INTO id_map (mapping, key, object, id, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (mapping, key) DO UPDATE SET object = excluded.object, id = excluded.id,
         run_id = excluded.run_id, updated_at = excluded.updated_at`,
    );
  }

  static open(file: string, options: OpenStateOptions = {}): StateStore {
    const readonly = options.readonly ?? false;
    let db: Database.Database;
    try {
      if (readonly && (file === ':memory:' || !existsSync(file))) {
        db = new Database(':memory:');
        migrate(db, file);
        return new StateStore(file, db, true);
      }
      if (file !== ':memory:' && !readonly) mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, readonly ? { readonly: true, fileMustExist: true } : {});
      if (!readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('busy_timeout = 5000');
      if (!readonly) migrate(db, file);
      else db.prepare('SELECT 1 FROM id_map LIMIT 1').get();
    } catch (error) {
      if (error instanceof WapiBulkError) throw error;
      throw new WapiBulkError('STATE_INVALID', `cannot open the state file ${file}: ${(error as Error).message}`, {
        cause: error,
        hint: 'give a writable path with --state (a SQLite file wapi-bulk created, or a new one)',
      });
    }
    return new StateStore(file, db, readonly);
  }

  /** The CRM id a previous import of `mapping` gave the legacy key, or undefined. */
  getId(mapping: string, key: string): IdMapEntry | undefined {
    return this.getIdStmt.get(mapping, key);
  }

  setId(mapping: string, key: string, entry: IdMapEntry, runId?: number): void {
    this.setIdStmt.run(mapping, key, entry.object, entry.id, runId ?? null, now());
  }

  /** How many keys of a mapping have an id. */
  countIds(mapping: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM id_map WHERE mapping = ?').get(mapping) as { n: number }).n;
  }

  /** Start a run and return its journal. Journals of older runs of the same file are dropped. */
  startRun(run: NewRun): RunJournal {
    const id = this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM journal WHERE run_id IN (SELECT id FROM runs WHERE mapping = ? AND input = ?)`,
        )
        .run(run.mapping, run.input);
      const result = this.db
        .prepare(
          `INSERT INTO runs (mapping, object, action, input, fingerprint, mapping_hash, url, tenant, status, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
        )
        .run(run.mapping, run.object, run.action, run.input, run.fingerprint, run.mappingHash, run.url ?? null, run.tenant ?? null, now());
      return Number(result.lastInsertRowid);
    })();
    return new RunJournal(this.db, id);
  }

  /** The most recent run of a mapping on an input file, or undefined. */
  latestRun(mapping: string, input: string): RunInfo | undefined {
    const row = this.db
      .prepare('SELECT * FROM runs WHERE mapping = ? AND input = ? ORDER BY id DESC LIMIT 1')
      .get(mapping, input) as RunRow | undefined;
    return row ? toRunInfo(row) : undefined;
  }

  run(id: number): RunInfo | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRunInfo(row) : undefined;
  }

  /** Continue an earlier run: its journal says which rows are done and which were in flight. */
  resumeRun(id: number): RunJournal {
    this.db.prepare(`UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?`).run(id);
    return new RunJournal(this.db, id);
  }

  endRun(id: number, status: Exclude<RunStatus, 'running'>, summary?: unknown): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?')
      .run(status, now(), summary === undefined ? null : JSON.stringify(summary), id);
  }

  /**
   * A value the exporter keeps between runs (e.g. the last LASTMODDATE seen for an object),
   * under a name and an optional scope.
   */
  getBookmark(name: string, scope = ''): string | undefined {
    const row = this.db.prepare('SELECT value FROM bookmarks WHERE object = ? AND scope = ?').get(name, scope) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  setBookmark(name: string, value: string, scope = ''): void {
    this.db
      .prepare(
        `INSERT INTO bookmarks (object, scope, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (object, scope) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(name, scope, value, now());
  }

  /** Run `fn` in one transaction (id map and journal together). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
