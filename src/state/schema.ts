import type { Database } from 'better-sqlite3';
import { WapiBulkError } from '../protocol/errors.js';

/** Bumped when the tables change; `migrate` brings an older file up to date. */
export const SCHEMA_VERSION = 1;

const V1 = `
CREATE TABLE IF NOT EXISTS id_map (
  mapping    TEXT NOT NULL,
  key        TEXT NOT NULL,
  object     TEXT NOT NULL,
  id         TEXT NOT NULL,
  run_id     INTEGER,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (mapping, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  mapping     TEXT NOT NULL,
  object      TEXT NOT NULL,
  action      TEXT NOT NULL,
  input       TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  mapping_hash TEXT NOT NULL,
  url         TEXT,
  tenant      TEXT,
  status      TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  summary     TEXT
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

/** Create the tables, or check that a file written by a newer wapi-bulk is not opened. */
export function migrate(db: Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new WapiBulkError('STATE_INVALID', `the state file ${file} was written by a newer wapi-bulk (schema ${version})`, {
      hint: 'upgrade wapi-bulk, or give another --state file',
    });
  }
  if (version < SCHEMA_VERSION) {
    db.exec(V1);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }
}
