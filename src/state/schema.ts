import type { Database } from 'better-sqlite3';
import { WapiBulkError } from '../protocol/errors.js';
import { endpointOf } from './crm-scope.js';

/** Bumped when the tables change; `migrate` brings an older file up to date. */
export const SCHEMA_VERSION = 2;

/** What the `meta` table says a wapi-bulk state file is (the emulator checks for it too). */
export const STATE_FORMAT = 'wapi-bulk state';

/**
 * Version 2: the id map is keyed by the CRM (endpoint and tenant) as well as the mapping and
 * the legacy key; runs remember their CRM, their report folder, the process that holds them
 * (a live run is a lock) and, for undo, the run they take back; journal entries keep the values
 * a MODIFY replaced (`before`) and the values it sent (`after`).
 */
const V2 = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS id_map (
  endpoint   TEXT NOT NULL,
  tenant     TEXT NOT NULL,
  mapping    TEXT NOT NULL,
  key        TEXT NOT NULL,
  object     TEXT NOT NULL,
  id         TEXT NOT NULL,
  run_id     INTEGER,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (endpoint, tenant, mapping, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS runs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT NOT NULL DEFAULT 'import',
  mapping      TEXT NOT NULL,
  object       TEXT NOT NULL,
  action       TEXT NOT NULL,
  input        TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  mapping_hash TEXT NOT NULL,
  endpoint     TEXT NOT NULL,
  tenant       TEXT NOT NULL,
  status       TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  summary      TEXT,
  out_dir      TEXT,
  pid          INTEGER,
  host         TEXT,
  heartbeat_at TEXT,
  undo_of      INTEGER
);
CREATE INDEX IF NOT EXISTS runs_by_input ON runs (mapping, input, id);

CREATE TABLE IF NOT EXISTS journal (
  run_id  INTEGER NOT NULL,
  row     INTEGER NOT NULL,
  key     TEXT NOT NULL,
  status  TEXT NOT NULL,
  planned TEXT,
  outcome TEXT,
  id      TEXT,
  stage   TEXT,
  code    TEXT,
  error   TEXT,
  note    TEXT,
  before  TEXT,
  after   TEXT,
  PRIMARY KEY (run_id, row)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS bookmarks (
  object     TEXT NOT NULL,
  scope      TEXT NOT NULL DEFAULT '',
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (object, scope)
) WITHOUT ROWID;
`;

const tableNames = (db: Database): Set<string> =>
  new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));

/** Tables only the emulator's database has: a `--state` pointed at one is a mix-up, not a state file. */
const EMULATOR_TABLES = ['seq', 'crm_case', 'customer'];

/**
 * Version 1 to 2. Its id map knew no CRM: each entry belongs to the endpoint and tenant the run
 * that wrote it recorded (entries no run wrote, if any, to none: they are kept but match nothing,
 * so no id from an unknown tenant is ever used). Bookmark scopes are re-keyed with the
 * normalised endpoint.
 */
function fromV1(db: Database): void {
  const endpoint = (url: string | null): string => (url === null ? '' : endpointOf(url));
  db.function('wb_endpoint', { deterministic: true }, (url: unknown) => endpoint(typeof url === 'string' ? url : null));
  db.exec(`
    ALTER TABLE id_map RENAME TO id_map_v1;
    ALTER TABLE runs RENAME TO runs_v1;
    ALTER TABLE journal RENAME TO journal_v1;
    DROP INDEX IF EXISTS runs_by_input;
  `);
  db.exec(V2);
  db.exec(`
    INSERT INTO runs (id, kind, mapping, object, action, input, fingerprint, mapping_hash, endpoint, tenant, status, started_at, finished_at, summary)
      SELECT id, 'import', mapping, object, action, input, fingerprint, mapping_hash, wb_endpoint(url), coalesce(tenant, ''),
             CASE status WHEN 'running' THEN 'interrupted' ELSE status END, started_at, finished_at, summary FROM runs_v1;
    INSERT INTO journal (run_id, row, key, status, planned, outcome, id, stage, code, error)
      SELECT run_id, row, key, status, planned, outcome, id, stage, code, error FROM journal_v1;
    INSERT INTO id_map (endpoint, tenant, mapping, key, object, id, run_id, updated_at)
      SELECT coalesce(wb_endpoint(r.url), ''), coalesce(r.tenant, ''), m.mapping, m.key, m.object, m.id, m.run_id, m.updated_at
      FROM id_map_v1 m LEFT JOIN runs_v1 r ON r.id = m.run_id;
    DROP TABLE id_map_v1;
    DROP TABLE runs_v1;
    DROP TABLE journal_v1;
  `);
  const bookmarks = db.prepare('SELECT object, scope FROM bookmarks').all() as { object: string; scope: string }[];
  const rescope = db.prepare('UPDATE OR REPLACE bookmarks SET scope = ? WHERE object = ? AND scope = ?');
  for (const { object, scope } of bookmarks) {
    const at = scope.indexOf('@');
    if (at > 0) rescope.run(`${scope.slice(0, at)}@${endpointOf(scope.slice(at + 1))}`, object, scope);
  }
}

/**
 * Create the tables, bring a file of an older version up to date in one transaction, or refuse
 * a file that is no state file of ours (the emulator's database) or comes from a newer wapi-bulk.
 */
export function migrate(db: Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = tableNames(db);
  if (EMULATOR_TABLES.every((t) => tables.has(t))) {
    throw new WapiBulkError('STATE_INVALID', `${file} is a database of the wapi-bulk emulator (wapi-bulk serve --db), not a state file`, {
      hint: 'give --state a file of its own, e.g. .wapi-bulk/state.sqlite (the default); the emulator keeps its records in the --db file',
    });
  }
  if (version > SCHEMA_VERSION) {
    throw new WapiBulkError('STATE_INVALID', `the state file ${file} was written by a newer wapi-bulk (schema ${version}, this one reads ${SCHEMA_VERSION})`, {
      hint: 'upgrade wapi-bulk, or give another --state file',
    });
  }
  if (version === SCHEMA_VERSION) return;
  if (version === 0 && tables.size > 0 && !tables.has('id_map')) {
    throw new WapiBulkError('STATE_INVALID', `${file} is an SQLite database, but not a wapi-bulk state file (it has ${[...tables].slice(0, 5).join(', ')})`, {
      hint: 'give --state a new file or one wapi-bulk created',
    });
  }
  db.transaction(() => {
    if (version === 1 || (version === 0 && tables.has('id_map'))) fromV1(db);
    else db.exec(V2);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('format', STATE_FORMAT);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
