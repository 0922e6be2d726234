import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CATALOGUE, OBJECTS, type ObjectDef, type ObjectName } from '../protocol/catalogue.js';
import { ConfigError } from '../protocol/errors.js';
import type { Tenant } from './tenant.js';

/**
 * Bumped whenever the tables change shape. A file of version 2 (before task MIDDLEWARE_URL and
 * the exact EMAIL index) is brought up to date; any other version is refused, not misread.
 */
const SCHEMA_VERSION = 3;
const MIGRATES_FROM = 2;

/** How long a write waits for another connection's write lock (a second server on the file). */
const BUSY_TIMEOUT_MS = 5000;

/** The tables of wapi-bulk's own state file (src/state/schema.ts), recognised by name only. */
const STATE_FILE_TABLES = ['id_map', 'runs', 'journal', 'bookmarks'];

/**
 * Columns beyond the catalogue's reply fields. A case remembers whether it came in by email
 * (its DESCRIPTION is then read-only) and the last follow-up number it handed out; a follow-up
 * keeps its number within its case (FOLLOWUPNUM) while `id` is its tenant-wide FOLLOWUPID.
 */
const EXTRA_COLUMNS: Partial<Record<ObjectName, string>> = {
  CASE: ', email_case INTEGER NOT NULL DEFAULT 0, followup_seq INTEGER NOT NULL DEFAULT 0',
  FOLLOWUP: ', num INTEGER NOT NULL',
};

/** A stored record: `id`, one TEXT column per reply field of the catalogue, custom fields as JSON. */
export interface StoredRow {
  readonly id: number;
  readonly custom: string;
  readonly [column: string]: string | number | null;
}

export const TABLE: Readonly<Record<ObjectName, string>> = {
  CUSTOMER: 'customer',
  CASE: 'crm_case',
  FOLLOWUP: 'followup',
  TASK: 'task',
  FAQ: 'faq',
  FAQCATEGORY: 'faqcategory',
};

/** First id of each sequence (README, "Protocol notes": account numbers start at 10000000). */
const FIRST_ID: Readonly<Record<ObjectName, number>> = {
  CUSTOMER: 10_000_000,
  CASE: 1,
  FOLLOWUP: 1,
  TASK: 1,
  FAQ: 1,
  FAQCATEGORY: 1,
};

/** The stored columns of an object: its reply fields but the id. */
export function columnsOf(object: ObjectDef): string[] {
  return object.fields.filter((f) => f.reply && f.tag !== object.idTag && f.tag !== 'FOLLOWUPID').map((f) => f.tag);
}

export const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** JSON path of a custom field in the `custom` column. */
export const customPath = (tag: string) => `$."${tag.replace(/"/g, '')}"`;

/**
 * Indexes by name. EMAIL has two: the uniqueness check ignores case (NOCASE), while a GET
 * compares exactly (README, "Protocol notes"), and a comparison only uses an index of its own
 * collation.
 */
const INDEXES: ReadonlyArray<[name: string, ObjectName, column: string]> = [
  ['ix_customer_EMAIL', 'CUSTOMER', 'EMAIL COLLATE NOCASE'],
  ['ix_customer_EMAIL_exact', 'CUSTOMER', 'EMAIL'],
  ['ix_customer_CREATEDDATE', 'CUSTOMER', 'CREATEDDATE'],
  ['ix_customer_LASTMODDATE', 'CUSTOMER', 'LASTMODDATE'],
  ['ix_crm_case_ACCOUNTNUM', 'CASE', 'ACCOUNTNUM'],
  ['ix_crm_case_CREATEDDATE', 'CASE', 'CREATEDDATE'],
  ['ix_crm_case_LASTMODDATE', 'CASE', 'LASTMODDATE'],
  ['ix_task_ACCOUNTNUM', 'TASK', 'ACCOUNTNUM'],
  ['ix_task_CREATEDDATE', 'TASK', 'CREATEDDATE'],
  ['ix_task_LASTMODDATE', 'TASK', 'LASTMODDATE'],
  ['ix_faq_FAQCATID', 'FAQ', 'FAQCATID'],
];

const EMULATOR_TABLES = new Set(['seq', 'meta', ...Object.values(TABLE)]);

/**
 * Look at an existing file before opening it for writing: a wapi-bulk state file, or any
 * database holding tables that are not the emulator's, is refused and left untouched.
 */
function checkNotForeign(file: string): void {
  let names: string[];
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as Array<{ name: string }>).map((r) => r.name);
  } catch (error) {
    throw new ConfigError(`cannot open the database ${file}: ${(error as Error).message}`, 'pass a --db FILE the emulator created, a new file, or :memory:');
  } finally {
    db?.close();
  }
  const state = STATE_FILE_TABLES.filter((t) => names.includes(t));
  if (state.length > 0) {
    throw new ConfigError(
      `${file} is a wapi-bulk state file (it holds ${state.join(', ')}: the id map and journal of import and export), not an emulator database; it was left untouched`,
      'give serve a file of its own, e.g. --db emulator.sqlite; the state file is what import and export take as --state',
    );
  }
  const foreign = names.filter((n) => !EMULATOR_TABLES.has(n));
  if (foreign.length > 0) {
    throw new ConfigError(
      `${file} holds tables that are not the emulator's (${foreign.slice(0, 5).join(', ')}); it was left untouched`,
      'pass a --db FILE the emulator created, a new file, or :memory:',
    );
  }
}

/**
 * The emulator's SQLite store. One table per object, a sequence per object so that ids are
 * never reused after DELETE, and expression indexes on unique custom fields (the upsert
 * look-ups of an import hit them on every row).
 */
export class Store {
  readonly db: Database.Database;
  private readonly nextIdStmt: Database.Statement<[string]>;
  private readonly bumpStmt: Database.Statement<[number, string]>;

  /** `timeZone`: the server clock's zone, which the stored timestamps are written in. */
  constructor(file: string, tenant: Tenant, timeZone = 'UTC') {
    if (file !== ':memory:' && file !== '' && existsSync(file)) checkNotForeign(file);
    try {
      this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new ConfigError(`cannot open the database ${file}: ${(error as Error).message}`, 'pass a --db FILE in a writable folder, or :memory:');
    }
    try {
      // WAL lets GETs read while a write is under way, here or in a second server on the file.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.transaction(() => this.setUp(file, tenant, timeZone)).immediate();
    } catch (error) {
      this.db.close();
      throw error;
    }
    // GET values are case-sensitive (the guide), wildcards included.
    this.db.pragma('case_sensitive_like = ON');
    this.nextIdStmt = this.db.prepare('SELECT next FROM seq WHERE object = ?');
    this.bumpStmt = this.db.prepare('UPDATE seq SET next = ? WHERE object = ?');
  }

  private setUp(file: string, tenant: Tenant, timeZone: string): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const hasTables = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seq'").get() !== undefined;
    if (hasTables && version !== SCHEMA_VERSION && version !== MIGRATES_FROM) {
      throw new ConfigError(
        `${file} was written by another version of the emulator (schema ${version}, this one reads ${SCHEMA_VERSION})`,
        'start with a new --db file',
      );
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS seq (object TEXT PRIMARY KEY, next INTEGER NOT NULL)');
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    // Timestamps are stored on the server's wall clock: read in another zone they would all be
    // off by the difference. A schema 2 file was always written in UTC.
    const written = this.db.prepare("SELECT value FROM meta WHERE key = 'timezone'").get() as { value: string } | undefined;
    const zone = written?.value ?? (hasTables ? 'UTC' : timeZone);
    if (zone !== timeZone) {
      throw new ConfigError(`${file} was written with the time zone ${zone}, not ${timeZone}`, `pass --timezone ${zone}, or start with a new --db file`);
    }
    this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('timezone', ?)").run(zone);
    for (const name of OBJECTS) {
      const object = CATALOGUE[name];
      const table = TABLE[name];
      const columns = columnsOf(object);
      const extra = EXTRA_COLUMNS[name] ?? '';
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY, ${columns.map((c) => `${quoteId(c)} TEXT`).join(', ')}, custom TEXT NOT NULL DEFAULT '{}'${extra})`,
      );
      // Fields the catalogue gained since the file was written (schema 2: task MIDDLEWARE_URL).
      const present = new Set((this.db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name));
      for (const column of columns) if (!present.has(column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${quoteId(column)} TEXT`);
      this.db.prepare('INSERT OR IGNORE INTO seq (object, next) VALUES (?, ?)').run(name, FIRST_ID[name]);
      for (const field of tenant.customFields(name)) {
        if (!field.unique) continue;
        const index = `ix_${table}_cf_${field.tag.replace(/[^A-Za-z0-9_]/g, '_')}`;
        this.db.exec(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} (json_extract(custom, '${customPath(field.tag)}'))`);
      }
    }
    for (const [index, name, column] of INDEXES) this.db.exec(`CREATE INDEX IF NOT EXISTS ${index} ON ${TABLE[name]} (${column})`);
    this.db.exec('CREATE UNIQUE INDEX IF NOT EXISTS ix_followup_case_num ON followup (CASENUM, num)');
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  /** Take the next id of an object's sequence. */
  takeId(object: ObjectName): number {
    const row = this.nextIdStmt.get(object) as { next: number };
    this.bumpStmt.run(row.next + 1, object);
    return row.next;
  }

  /** The highest id an object could have now (the sequence's next value less one). */
  takeIdPeek(object: ObjectName): number {
    return (this.nextIdStmt.get(object) as { next: number }).next - 1;
  }

  /** Make sure the sequence continues after `id` (fixtures with ids of their own). */
  reserveId(object: ObjectName, id: number): void {
    const row = this.nextIdStmt.get(object) as { next: number };
    if (id >= row.next) this.bumpStmt.run(id + 1, object);
  }

  /** The next FOLLOWUPNUM of a case: numbers within a case are never reused after DELETE either. */
  takeFollowupNum(caseId: number): number {
    const row = this.prepared('SELECT followup_seq FROM crm_case WHERE id = ?').get(caseId) as { followup_seq: number };
    this.prepared('UPDATE crm_case SET followup_seq = ? WHERE id = ?').run(row.followup_seq + 1, caseId);
    return row.followup_seq + 1;
  }

  /** Make sure a case's follow-up numbers continue after `num` (fixtures). */
  reserveFollowupNum(caseId: number, num: number): void {
    this.prepared('UPDATE crm_case SET followup_seq = MAX(followup_seq, ?) WHERE id = ?').run(num, caseId);
  }

  insert(object: ObjectName, id: number, values: ReadonlyMap<string, string | null>, custom: Record<string, string>, extra: Record<string, number> = {}): void {
    const names = ['id', ...values.keys(), 'custom', ...Object.keys(extra)];
    const sql = `INSERT INTO ${TABLE[object]} (${names.map(quoteId).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.prepared(sql).run(id, ...values.values(), JSON.stringify(custom), ...Object.values(extra));
  }

  update(object: ObjectName, id: number, values: ReadonlyMap<string, string | null>, custom: Record<string, string> | undefined): void {
    const sets = [...values.keys()].map((c) => `${quoteId(c)} = ?`);
    const params: unknown[] = [...values.values()];
    if (custom !== undefined) {
      sets.push('custom = ?');
      params.push(JSON.stringify(custom));
    }
    if (sets.length === 0) return;
    this.prepared(`UPDATE ${TABLE[object]} SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  }

  get(object: ObjectName, id: number | string): StoredRow | undefined {
    const n = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : NaN;
    if (!Number.isSafeInteger(n)) return undefined;
    return this.prepared(`SELECT * FROM ${TABLE[object]} WHERE id = ?`).get(n) as StoredRow | undefined;
  }

  /** Run a statement through a small cache of prepared statements. */
  prepared(sql: string): Database.Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  private readonly cache = new Map<string, Database.Statement>();

  /**
   * A write, whole or not at all. IMMEDIATE takes the write lock first (waiting up to
   * BUSY_TIMEOUT_MS for another server on the same file): a deferred transaction that read
   * first could not upgrade its lock and would fail with "database is locked" at once.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }
}
