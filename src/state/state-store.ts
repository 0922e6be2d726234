import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { WapiBulkError } from '../protocol/errors.js';
import type { CrmScope } from './crm-scope.js';
import { ID_MAP_UPSERT } from './id-map-sql.js';
import { migrate } from './schema.js';
import { RunJournal } from './run-journal.js';
import { UndoJournal, type UndoEntry } from './undo-journal.js';
import { stateError } from './state-errors.js';

/** Where the state lives unless --state says otherwise: shared by every mapping and run. */
export const DEFAULT_STATE_FILE = '.wapi-bulk/state.sqlite';

export interface IdMapEntry {
  readonly object: string;
  readonly id: string;
  /** The run that wrote it, when known. */
  readonly runId?: number | undefined;
}

/**
 * running: a process holds it (or held it and died: see `liveHolder`); finished: every row was
 * processed; interrupted: stopped (Ctrl-C, SIGTERM, --max-errors) and resumable; failed: stopped
 * by an error (the server gone, a CSV syntax error) and resumable.
 */
export type RunStatus = 'running' | 'finished' | 'interrupted' | 'failed';
export type RunKind = 'import' | 'undo';

export interface RunInfo {
  readonly id: number;
  readonly kind: RunKind;
  readonly mapping: string;
  readonly object: string;
  readonly action: string;
  /** Absolute path of the input file. */
  readonly input: string;
  /** Size and a hash of the whole file: a resume of a changed file would pair rows with the wrong journal entries. */
  readonly fingerprint: string;
  readonly mappingHash: string;
  readonly scope: CrmScope;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | undefined;
  /** The run's report folder. */
  readonly outDir: string | undefined;
  readonly pid: number | undefined;
  readonly host: string | undefined;
  readonly heartbeatAt: string | undefined;
  /** For an undo run: the run it takes back. */
  readonly undoOf: number | undefined;
  /** summary.json as the run left it. */
  readonly summary: Record<string, unknown> | undefined;
}

export interface NewRun {
  readonly kind?: RunKind;
  readonly mapping: string;
  readonly object: string;
  readonly action: string;
  readonly input: string;
  readonly fingerprint: string;
  readonly mappingHash: string;
  /** Where the run sends; never the credentials. */
  readonly scope: CrmScope;
  readonly outDir?: string;
  readonly undoOf?: number;
}

export interface OpenStateOptions {
  /**
   * Open for reading only (dry runs, offline validation). A missing file then reads as an empty
   * state instead of being created.
   */
  readonly readonly?: boolean;
}

const now = (): string => new Date().toISOString();

/** A live run refreshes its heartbeat this often. */
export const HEARTBEAT_MS = 15_000;
/** A run on another host whose heartbeat is older than this is taken to be dead. */
const REMOTE_STALE_MS = 4 * HEARTBEAT_MS;
/** On this host, a pid alive but silent for this long is a reused pid, not our run. */
const LOCAL_STALE_MS = 10 * 60_000;

interface RunRow {
  id: number;
  kind: RunKind;
  mapping: string;
  object: string;
  action: string;
  input: string;
  fingerprint: string;
  mapping_hash: string;
  endpoint: string;
  tenant: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
  out_dir: string | null;
  pid: number | null;
  host: string | null;
  heartbeat_at: string | null;
  undo_of: number | null;
}

function toRunInfo(row: RunRow): RunInfo {
  let summary: Record<string, unknown> | undefined;
  try {
    summary = row.summary === null ? undefined : (JSON.parse(row.summary) as Record<string, unknown>);
  } catch {
    summary = undefined;
  }
  return {
    id: row.id,
    kind: row.kind,
    mapping: row.mapping,
    object: row.object,
    action: row.action,
    input: row.input,
    fingerprint: row.fingerprint,
    mappingHash: row.mapping_hash,
    scope: { endpoint: row.endpoint, tenant: row.tenant },
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    outDir: row.out_dir ?? undefined,
    pid: row.pid ?? undefined,
    host: row.host ?? undefined,
    heartbeatAt: row.heartbeat_at ?? undefined,
    undoOf: row.undo_of ?? undefined,
    summary,
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a run marked `running` is really held by a live process: one on this host whose pid
 * is alive (and has beaten within the last minutes), or one elsewhere whose heartbeat is fresh.
 */
export function liveHolder(run: RunInfo, at = Date.now()): boolean {
  if (run.status !== 'running' || run.pid === undefined) return false;
  const beat = run.heartbeatAt === undefined ? 0 : Date.parse(run.heartbeatAt);
  if (run.host === hostname()) return (run.pid === process.pid || pidAlive(run.pid)) && at - beat < LOCAL_STALE_MS;
  return at - beat < REMOTE_STALE_MS;
}

/**
 * The state file: the id map (CRM, mapping name, legacy key -> CRM id) shared across mappings
 * and runs, the runs with their per-row journal (what makes --resume exact and undo possible),
 * and the exporter's bookmarks. SQLite in WAL mode with synchronous=NORMAL: a commit survives a
 * crash or Ctrl-C of wapi-bulk (the journal is the point of the file); only a power cut can lose
 * the last ones.
 */
export class StateStore {
  readonly file: string;
  readonly readonly: boolean;
  private readonly db: Database.Database;
  private readonly getIdStmt: Database.Statement<[string, string, string, string], { object: string; id: string; run_id: number | null }>;
  private readonly setIdStmt: Database.Statement<[string, string, string, string, string, string, number | null, string]>;

  private constructor(file: string, db: Database.Database, readonly: boolean) {
    this.file = file;
    this.db = db;
    this.readonly = readonly;
    this.getIdStmt = db.prepare('SELECT object, id, run_id FROM id_map WHERE endpoint = ? AND tenant = ? AND mapping = ? AND key = ?');
    this.setIdStmt = db.prepare(ID_MAP_UPSERT);
  }

  static open(file: string, options: OpenStateOptions = {}): StateStore {
    const readonly = options.readonly ?? false;
    let db: Database.Database | undefined;
    try {
      if (readonly && (file === ':memory:' || !existsSync(file))) {
        db = new Database(':memory:');
        migrate(db, file);
        return new StateStore(file, db, true);
      }
      if (file !== ':memory:' && !readonly) mkdirSync(dirname(file), { recursive: true });
      const created = file !== ':memory:' && !readonly && !existsSync(file);
      db = new Database(file, readonly ? { readonly: true, fileMustExist: true } : {});
      // It holds customer keys and ids: readable by its owner only (SQLite gives its -wal the same).
      if (created) chmodSync(file, 0o600);
      db.pragma('busy_timeout = 5000');
      if (!readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        migrate(db, file);
        // A file SQLite could open only for reading fails at the first write, mid-run: write now.
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('opened_at', ?)").run(now());
      } else {
        // An older file read for a dry run: migrate a copy in memory rather than write to it.
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version < 2) {
          const image = db.serialize();
          db.close();
          db = new Database(image);
        }
        migrate(db, file);
      }
      // A file that opens but is damaged inside would fail half-way through a run: look now.
      const check = db.pragma('quick_check(1)', { simple: true }) as string;
      if (check !== 'ok') throw Object.assign(new Error(`integrity check: ${check}`), { code: 'SQLITE_CORRUPT' });
    } catch (error) {
      db?.close();
      if (error instanceof WapiBulkError) throw error;
      throw stateError(file, error);
    }
    return new StateStore(file, db, readonly);
  }

  /** The CRM id a previous import of `mapping` into this CRM gave the legacy key, or undefined. */
  getId(scope: CrmScope, mapping: string, key: string): IdMapEntry | undefined {
    const row = this.getIdStmt.get(scope.endpoint, scope.tenant, mapping, key);
    return row ? { object: row.object, id: row.id, runId: row.run_id ?? undefined } : undefined;
  }

  setId(scope: CrmScope, mapping: string, key: string, entry: IdMapEntry, runId?: number): void {
    this.setIdStmt.run(scope.endpoint, scope.tenant, mapping, key, entry.object, entry.id, runId ?? null, now());
  }

  /** Forget an id (undo deleted the record). */
  deleteId(scope: CrmScope, mapping: string, key: string): void {
    this.db.prepare('DELETE FROM id_map WHERE endpoint = ? AND tenant = ? AND mapping = ? AND key = ?').run(scope.endpoint, scope.tenant, mapping, key);
  }

  /** How many keys of a mapping have an id in this CRM. */
  countIds(scope: CrmScope, mapping: string): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM id_map WHERE endpoint = ? AND tenant = ? AND mapping = ?').get(scope.endpoint, scope.tenant, mapping) as {
        n: number;
      }
    ).n;
  }

  /** The CRMs other than `scope` that hold ids of `mapping`, for "imported elsewhere" hints. */
  otherScopes(scope: CrmScope, mapping: string): CrmScope[] {
    return (
      this.db
        .prepare('SELECT DISTINCT endpoint, tenant FROM id_map WHERE mapping = ? AND NOT (endpoint = ? AND tenant = ?)')
        .all(mapping, scope.endpoint, scope.tenant) as { endpoint: string; tenant: string }[]
    ).map((r) => ({ endpoint: r.endpoint, tenant: r.tenant }));
  }

  /**
   * Start a run and return its journal. The run is a lock on its mapping and input: a second
   * run of them while the first is alive is refused (found in review: two imports at once added
   * every row twice); a run left `running` by a dead process is marked interrupted and taken over.
   */
  startRun(run: NewRun): RunJournal {
    const id = this.db.transaction(() => {
      this.takeOver(run.mapping, run.input, run.kind ?? 'import');
      const result = this.db
        .prepare(
          `INSERT INTO runs (kind, mapping, object, action, input, fingerprint, mapping_hash, endpoint, tenant, status, started_at, out_dir, pid, host, heartbeat_at, undo_of)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          run.kind ?? 'import',
          run.mapping,
          run.object,
          run.action,
          run.input,
          run.fingerprint,
          run.mappingHash,
          run.scope.endpoint,
          run.scope.tenant,
          now(),
          run.outDir ?? null,
          process.pid,
          hostname(),
          now(),
          run.undoOf ?? null,
        );
      return Number(result.lastInsertRowid);
    }).immediate();
    return new RunJournal(this.db, id, run.scope);
  }

  /** Continue an earlier run: its journal says which rows are done and which were in flight. */
  resumeRun(id: number): RunJournal {
    const run = this.run(id);
    if (!run) throw new WapiBulkError('STATE_INVALID', `there is no run ${id} in ${this.file}`);
    this.db.transaction(() => {
      this.takeOver(run.mapping, run.input, run.kind);
      this.db
        .prepare(`UPDATE runs SET status = 'running', finished_at = NULL, pid = ?, host = ?, heartbeat_at = ? WHERE id = ?`)
        .run(process.pid, hostname(), now(), id);
    }).immediate();
    return new RunJournal(this.db, id, run.scope);
  }

  /** Refuse while a live process holds a run of this mapping and input; mark dead holders interrupted. */
  private takeOver(mapping: string, input: string, kind: RunKind): void {
    const rows = this.db.prepare(`SELECT * FROM runs WHERE mapping = ? AND input = ? AND kind = ? AND status = 'running'`).all(mapping, input, kind) as RunRow[];
    for (const row of rows) {
      const info = toRunInfo(row);
      if (liveHolder(info)) {
        throw new WapiBulkError('STATE_LOCKED', `run ${info.id} of mapping "${mapping}" on ${input} is still running (process ${info.pid} on ${info.host}, started ${info.startedAt})`, {
          hint: 'wait for it to finish, or stop it (Ctrl-C) and add --resume to continue it; two runs at once would send rows twice',
        });
      }
      this.db.prepare(`UPDATE runs SET status = 'interrupted', pid = NULL WHERE id = ?`).run(info.id);
    }
  }

  /**
   * Start an undo of `target`: a run of its own (kind undo), locked like an import on the same
   * mapping and input, whose journal records what was taken back row by row.
   */
  startUndo(target: RunInfo): UndoJournal {
    const journal = this.startRun({
      kind: 'undo',
      mapping: target.mapping,
      object: target.object,
      action: target.action,
      input: target.input,
      fingerprint: target.fingerprint,
      mappingHash: target.mappingHash,
      scope: target.scope,
      undoOf: target.id,
    });
    return new UndoJournal(this.db, journal.runId, target.scope);
  }

  /** What earlier undo runs of `target` did, the latest entry per row. */
  undoHistory(target: number): Map<number, UndoEntry> {
    return UndoJournal.history(this.db, target);
  }

  /** Keep a live run's lock fresh. */
  heartbeat(id: number): void {
    this.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ? AND pid = ?').run(now(), id, process.pid);
  }

  setRunOutDir(id: number, outDir: string): void {
    this.db.prepare('UPDATE runs SET out_dir = ? WHERE id = ?').run(outDir, id);
  }

  /** The most recent run of a mapping on an input file, or undefined. */
  latestRun(mapping: string, input: string, kind: RunKind = 'import'): RunInfo | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE mapping = ? AND input = ? AND kind = ? ORDER BY id DESC LIMIT 1').get(mapping, input, kind) as
      | RunRow
      | undefined;
    return row ? toRunInfo(row) : undefined;
  }

  run(id: number): RunInfo | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRunInfo(row) : undefined;
  }

  /** Every run, newest first. */
  runs(): RunInfo[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as RunRow[]).map(toRunInfo);
  }

  /** A run's journal, for reading (undo, reconcile) or continuing. */
  journal(id: number): RunJournal {
    const run = this.run(id);
    if (!run) throw new WapiBulkError('STATE_INVALID', `there is no run ${id} in ${this.file}`);
    return new RunJournal(this.db, id, run.scope);
  }

  endRun(id: number, status: Exclude<RunStatus, 'running'>, summary?: unknown): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ?, pid = NULL WHERE id = ?')
      .run(status, now(), summary === undefined ? null : JSON.stringify(summary), id);
  }

  /**
   * A value the exporter keeps between runs (e.g. the last LASTMODDATE seen for an object),
   * under a name and a scope (the CRM it was read from).
   */
  getBookmark(name: string, scope = ''): string | undefined {
    const row = this.db.prepare('SELECT value FROM bookmarks WHERE object = ? AND scope = ?').get(name, scope) as { value: string } | undefined;
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

