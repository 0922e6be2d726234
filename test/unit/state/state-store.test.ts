import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveHolder, StateStore, type RunInfo } from '../../../src/state/state-store.js';
import { endpointOf } from '../../../src/state/crm-scope.js';
import { SCHEMA_VERSION } from '../../../src/state/schema.js';

const CRM = { endpoint: 'http://127.0.0.1:8088/WAPI/wapi.php', tenant: 'AcmeJets' };
const OTHER = { endpoint: 'https://vcc-na4.8x8.com/WAPI/wapi.php', tenant: 'AcmeJets' };
const RUN = { mapping: 'customers', object: 'CUSTOMER', action: 'upsert', input: '/data/customers.csv', fingerprint: '10:abc', mappingHash: 'h1', scope: CRM };

describe('StateStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wapi-state-'));
    file = join(dir, 'nested', 'state.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file (and its folder) in WAL mode, and keeps the id map across opens', () => {
    const store = StateStore.open(file);
    store.setId(CRM, 'customers', '1001', { object: 'CUSTOMER', id: '10000001' });
    store.setId(CRM, 'customers', '1001', { object: 'CUSTOMER', id: '10000002' });
    store.setId(CRM, 'cases', '1001', { object: 'CASE', id: '7' });
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const again = StateStore.open(file);
    expect(again.getId(CRM, 'customers', '1001')).toMatchObject({ object: 'CUSTOMER', id: '10000002' });
    expect(again.getId(CRM, 'cases', '1001')).toMatchObject({ object: 'CASE', id: '7' });
    expect(again.getId(CRM, 'customers', '9')).toBeUndefined();
    expect(again.countIds(CRM, 'customers')).toBe(1);
    again.close();
  });

  it('journals rows: pending before the send, done with the id map in one transaction', () => {
    const store = StateStore.open(file);
    const journal = store.startRun(RUN);
    journal.pending(1, 'K1', 'add');
    expect(journal.get(1)).toMatchObject({ row: 1, key: 'K1', status: 'pending', planned: 'add' });
    journal.finish({ row: 1, key: 'K1', outcome: 'added', id: '10000001' }, { mapping: 'customers', key: 'K1', object: 'CUSTOMER', id: '10000001' });
    journal.finish({ row: 5, key: 'K5', outcome: 'modified', id: '10000005', before: { COMPANY: 'Old' }, after: { COMPANY: 'New' } });
    expect(journal.get(5)).toMatchObject({ before: { COMPANY: 'Old' }, after: { COMPANY: 'New' } });
    journal.finish({ row: 2, key: 'K2', outcome: 'failed', stage: 'validate', code: 'ROW_INVALID', error: 'EMAIL: bad' });
    journal.pending(3, 'K3', 'modify');
    journal.pending(4, 'K4', 'add');
    journal.clear(4);
    expect(journal.get(1)).toMatchObject({ status: 'done', outcome: 'added', id: '10000001' });
    expect(journal.get(2)).toMatchObject({ status: 'done', outcome: 'failed', stage: 'validate', code: 'ROW_INVALID', error: 'EMAIL: bad', id: undefined });
    expect(journal.get(4)).toBeUndefined();
    expect(journal.counts()).toEqual({ pending: 1, done: 3, failed: 1 });
    expect(store.getId(CRM, 'customers', 'K1')).toEqual({ object: 'CUSTOMER', id: '10000001', runId: journal.runId });
    store.endRun(journal.runId, 'interrupted', { rows: 2 });
    expect(store.run(journal.runId)).toMatchObject({ status: 'interrupted', mapping: 'customers', fingerprint: '10:abc', scope: CRM, summary: { rows: 2 } });
    store.close();
  });

  it('finds the latest run of a mapping on a file, resumes its journal; a new run keeps older journals (undo reads them)', () => {
    const store = StateStore.open(file);
    const first = store.startRun(RUN);
    first.finish({ row: 1, key: 'K1', outcome: 'added', id: '1' });
    store.endRun(first.runId, 'interrupted');
    expect(store.latestRun('customers', '/data/customers.csv')?.id).toBe(first.runId);
    expect(store.latestRun('customers', '/data/other.csv')).toBeUndefined();
    expect(store.latestRun('cases', '/data/customers.csv')).toBeUndefined();

    const resumed = store.resumeRun(first.runId);
    expect(resumed.get(1)).toMatchObject({ outcome: 'added' });
    expect(store.run(first.runId)?.status).toBe('running');
    store.endRun(first.runId, 'finished');

    const second = store.startRun(RUN);
    expect(second.runId).toBeGreaterThan(first.runId);
    expect(store.latestRun('customers', '/data/customers.csv')?.id).toBe(second.runId);
    expect(resumed.get(1)).toMatchObject({ outcome: 'added' });
    store.close();
  });

  it('keeps bookmarks by name and scope', () => {
    const store = StateStore.open(file);
    expect(store.getBookmark('customer')).toBeUndefined();
    store.setBookmark('customer', '03012024 10:00:00');
    store.setBookmark('customer', '04012024 10:00:00');
    store.setBookmark('customer', 'x', 'LASTMODDATE');
    expect(store.getBookmark('customer')).toBe('04012024 10:00:00');
    expect(store.getBookmark('customer', 'LASTMODDATE')).toBe('x');
    store.close();
  });

  it('read-only: a missing file reads as empty and is not created; an existing one is read', () => {
    const empty = StateStore.open(file, { readonly: true });
    expect(empty.getId(CRM, 'customers', '1')).toBeUndefined();
    empty.close();
    expect(existsSync(file)).toBe(false);
    const rw = StateStore.open(file);
    rw.setId(CRM, 'customers', '1', { object: 'CUSTOMER', id: '5' });
    rw.close();
    const ro = StateStore.open(file, { readonly: true });
    expect(ro.getId(CRM, 'customers', '1')).toMatchObject({ object: 'CUSTOMER', id: '5' });
    expect(() => ro.setId(CRM, 'customers', '2', { object: 'CUSTOMER', id: '6' })).toThrow();
    ro.close();
  });

  it('refuses a file that is not SQLite (STATE_CORRUPT), and one written by a newer version (STATE_INVALID)', () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not a database, just text that is long enough to have a header '.repeat(10));
    expect(() => StateStore.open(junk)).toThrow(expect.objectContaining({ code: 'STATE_CORRUPT' }));
    const newer = join(dir, 'newer.sqlite');
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => StateStore.open(newer)).toThrow(expect.objectContaining({ code: 'STATE_INVALID', message: expect.stringContaining('newer wapi-bulk') }));
  });
});

describe('RunJournal group commit', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wapi-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits entries queued in one turn of the event loop together, and resolves each once it is committed', async () => {
    const file = join(dir, 'state.sqlite');
    const store = StateStore.open(file);
    const journal = store.startRun(RUN);
    const first = journal.pendingSoon(1, 'K1', 'add');
    const second = journal.finishSoon({ row: 2, key: 'K2', outcome: 'added', id: '9' }, { mapping: 'customers', key: 'K2', object: 'CUSTOMER', id: '9' });
    // Not yet: the commit waits for the end of this turn.
    expect(journal.get(1)).toBeUndefined();
    await Promise.all([first, second]);
    // Another connection sees both: committed, not just written in this one.
    const reader = new Database(file, { readonly: true });
    const rows = reader.prepare('SELECT row, status FROM journal ORDER BY row').all();
    expect(rows).toEqual([{ row: 1, status: 'pending' }, { row: 2, status: 'done' }]);
    expect(reader.prepare('SELECT id, endpoint, tenant FROM id_map WHERE key = ?').get('K2')).toEqual({ id: '9', ...CRM });
    reader.close();
    // flush() commits what is queued at once (before the run closes the file).
    const third = journal.finishSoon({ row: 1, key: 'K1', outcome: 'added', id: '8' });
    journal.flush();
    expect(journal.get(1)).toMatchObject({ status: 'done', id: '8' });
    await third;
    store.close();
  });
});

describe('state bound to its CRM', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wapi-state-'));
    file = join(dir, 'state.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keys the id map by endpoint and tenant: ids of a rehearsal never answer for another tenant', () => {
    // The trap: customers rehearsed against the emulator, then cases imported into a real
    // tenant from the same folder were attached to that tenant's unrelated customers.
    const store = StateStore.open(file);
    store.setId(CRM, 'customers', 'A1', { object: 'CUSTOMER', id: '10000001' });
    expect(store.getId(OTHER, 'customers', 'A1')).toBeUndefined();
    expect(store.getId({ ...CRM, tenant: 'OtherCo' }, 'customers', 'A1')).toBeUndefined();
    expect(store.getId(CRM, 'customers', 'A1')?.id).toBe('10000001');
    expect(store.otherScopes(OTHER, 'customers')).toEqual([CRM]);
    expect(store.countIds(OTHER, 'customers')).toBe(0);
    store.close();
  });

  it('normalises the endpoint: one server spelt two ways is one CRM, credentials in a URL are dropped', () => {
    expect(endpointOf('HTTP://User:Secret@LocalHost:80/WAPI/wapi.php/?x=1#y')).toBe('http://localhost/WAPI/wapi.php');
    expect(endpointOf('https://api.8x8.com:443/cc/v1/wapi')).toBe('https://api.8x8.com/cc/v1/wapi');
    expect(endpointOf('http://127.0.0.1:8088/WAPI/wapi.php')).not.toBe(endpointOf('http://127.0.0.1:8089/WAPI/wapi.php'));
  });

  it('migrates a version 1 file: each id belongs to the CRM its run recorded, bookmarks re-keyed', () => {
    const old = new Database(file);
    old.exec(`
      CREATE TABLE id_map (mapping TEXT NOT NULL, key TEXT NOT NULL, object TEXT NOT NULL, id TEXT NOT NULL, run_id INTEGER, updated_at TEXT NOT NULL, PRIMARY KEY (mapping, key)) WITHOUT ROWID;
      CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, mapping TEXT NOT NULL, object TEXT NOT NULL, action TEXT NOT NULL, input TEXT NOT NULL, fingerprint TEXT NOT NULL, mapping_hash TEXT NOT NULL, url TEXT, tenant TEXT, status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, summary TEXT);
      CREATE TABLE journal (run_id INTEGER NOT NULL, row INTEGER NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL, planned TEXT, outcome TEXT, id TEXT, stage TEXT, code TEXT, error TEXT, PRIMARY KEY (run_id, row)) WITHOUT ROWID;
      CREATE TABLE bookmarks (object TEXT NOT NULL, scope TEXT NOT NULL DEFAULT '', value TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (object, scope)) WITHOUT ROWID;
      INSERT INTO runs VALUES (1, 'customers', 'CUSTOMER', 'upsert', '/d/c.csv', '1:x', 'h', 'http://127.0.0.1:8088/WAPI/wapi.php', 'AcmeJets', 'finished', '2026-01-01T00:00:00Z', NULL, NULL);
      INSERT INTO runs VALUES (2, 'customers', 'CUSTOMER', 'upsert', '/d/d.csv', '1:y', 'h', 'https://vcc-na4.8x8.com/WAPI/wapi.php', 'AcmeJets', 'running', '2026-01-02T00:00:00Z', NULL, NULL);
      INSERT INTO id_map VALUES ('customers', 'A1', 'CUSTOMER', '10000001', 1, '2026-01-01T00:00:00Z');
      INSERT INTO id_map VALUES ('customers', 'B1', 'CUSTOMER', '20000001', 2, '2026-01-02T00:00:00Z');
      INSERT INTO journal VALUES (1, 1, 'A1', 'done', NULL, 'added', '10000001', NULL, NULL, NULL);
      INSERT INTO bookmarks VALUES ('export:CUSTOMER', 'AcmeJets@http://127.0.0.1:8088/WAPI/wapi.php', '{}', '2026-01-01T00:00:00Z');
    `);
    old.pragma('user_version = 1');
    old.close();
    const store = StateStore.open(file);
    expect(store.getId(CRM, 'customers', 'A1')?.id).toBe('10000001');
    expect(store.getId(CRM, 'customers', 'B1')).toBeUndefined();
    expect(store.getId(OTHER, 'customers', 'B1')?.id).toBe('20000001');
    expect(store.run(1)).toMatchObject({ scope: CRM, status: 'finished' });
    // A v1 run left running has no holder to check: it is interrupted.
    expect(store.run(2)).toMatchObject({ scope: OTHER, status: 'interrupted' });
    expect(store.journal(1).get(1)).toMatchObject({ outcome: 'added', id: '10000001' });
    expect(store.getBookmark('export:CUSTOMER', 'AcmeJets@http://127.0.0.1:8088/WAPI/wapi.php')).toBe('{}');
    store.close();
  });

  it('refuses the emulator\'s database given as --state, saying which file is which', () => {
    const db = new Database(file);
    db.exec('CREATE TABLE seq (object TEXT PRIMARY KEY, next INTEGER); CREATE TABLE customer (id INTEGER PRIMARY KEY); CREATE TABLE crm_case (id INTEGER PRIMARY KEY);');
    db.pragma('user_version = 2');
    db.close();
    expect(() => StateStore.open(file)).toThrow(expect.objectContaining({ code: 'STATE_INVALID', message: expect.stringContaining('database of the wapi-bulk emulator') }));
    // And nothing was added to it.
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'id_map'").get()).toEqual({ n: 0 });
    after.close();
  });
});

describe('a run is a lock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wapi-state-'));
    file = join(dir, 'state.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('two imports at once on one state file: the second is refused, naming the first', () => {
    // The trap: both runs added every row, the second only warned the first "did not finish".
    const store = StateStore.open(file);
    const first = store.startRun(RUN);
    const other = StateStore.open(file);
    expect(() => other.startRun(RUN)).toThrow(expect.objectContaining({ code: 'STATE_LOCKED', message: expect.stringContaining(`run ${first.runId}`) }));
    // Another input or mapping is no conflict.
    expect(() => other.startRun({ ...RUN, input: '/data/other.csv' })).not.toThrow();
    other.close();
    store.close();
  });

  it('a lock left by a dead process is taken over, and the dead run marked interrupted', () => {
    const store = StateStore.open(file);
    const dead = store.startRun(RUN);
    // A pid that is surely not running: the largest a pid can be on Linux, plus one.
    const db = new Database(file);
    db.prepare('UPDATE runs SET pid = 4194305 WHERE id = ?').run(dead.runId);
    db.close();
    expect(liveHolder(store.run(dead.runId) as RunInfo)).toBe(false);
    const next = store.startRun(RUN);
    expect(next.runId).toBeGreaterThan(dead.runId);
    expect(store.run(dead.runId)?.status).toBe('interrupted');
    store.close();
  });

  it('a run on another host holds its lock only while its heartbeat is fresh', () => {
    const store = StateStore.open(file);
    const remote = store.startRun(RUN);
    const db = new Database(file);
    db.prepare("UPDATE runs SET host = 'elsewhere' WHERE id = ?").run(remote.runId);
    expect(liveHolder(store.run(remote.runId) as RunInfo)).toBe(true);
    db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(new Date(Date.now() - 3_600_000).toISOString(), remote.runId);
    db.close();
    expect(liveHolder(store.run(remote.runId) as RunInfo)).toBe(false);
    store.close();
  });
});

describe('state file problems have their own codes', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wapi-state-'))));
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read-only state file is STATE_READONLY with a hint, not an internal error', () => {
    // Found in review: "internal error, please report it as a bug".
    const file = join(dir, 'state.sqlite');
    StateStore.open(file).close();
    // root ignores file modes: make the file immutable instead (ext4's chattr +i).
    const root = process.getuid?.() === 0;
    if (root) execFileSync('chattr', ['+i', file]);
    else chmodSync(file, 0o444);
    try {
      expect(() => StateStore.open(file).close()).toThrow(expect.objectContaining({ code: 'STATE_READONLY', message: expect.stringContaining(file) }));
    } finally {
      if (root) execFileSync('chattr', ['-i', file]);
    }
  });

  it('a state file damaged mid-file is STATE_CORRUPT, found when it is opened', () => {
    const file = join(dir, 'state.sqlite');
    const store = StateStore.open(file);
    for (let i = 0; i < 2000; i++) store.setId(CRM, 'customers', `K${i}`, { object: 'CUSTOMER', id: String(10_000_000 + i) });
    store.close();
    const bytes = readFileSync(file);
    // Past the header: damage the b-tree pages, as a half-written copy would.
    for (let at = 8192; at < bytes.length; at += 1024) bytes.fill(0xff, at, at + 64);
    writeFileSync(file, bytes);
    rmSync(`${file}-wal`, { force: true });
    expect(() => StateStore.open(file)).toThrow(expect.objectContaining({ code: 'STATE_CORRUPT' }));
  });
});
