import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../../src/state/state-store.js';
import { SCHEMA_VERSION } from '../../../src/state/schema.js';

const RUN = { mapping: 'customers', object: 'CUSTOMER', action: 'upsert', input: '/data/customers.csv', fingerprint: '10:abc', mappingHash: 'h1' };

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
    store.setId('customers', '1001', { object: 'CUSTOMER', id: '10000001' });
    store.setId('customers', '1001', { object: 'CUSTOMER', id: '10000002' });
    store.setId('cases', '1001', { object: 'CASE', id: '7' });
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const again = StateStore.open(file);
    expect(again.getId('customers', '1001')).toEqual({ object: 'CUSTOMER', id: '10000002' });
    expect(again.getId('cases', '1001')).toEqual({ object: 'CASE', id: '7' });
    expect(again.getId('customers', '9')).toBeUndefined();
    expect(again.countIds('customers')).toBe(1);
    again.close();
  });

  it('journals rows: pending before the send, done with the id map in one transaction', () => {
    const store = StateStore.open(file);
    const journal = store.startRun(RUN);
    journal.pending(1, 'K1', 'add');
    expect(journal.get(1)).toMatchObject({ row: 1, key: 'K1', status: 'pending', planned: 'add' });
    journal.finish({ row: 1, key: 'K1', outcome: 'added', id: '10000001' }, { mapping: 'customers', key: 'K1', object: 'CUSTOMER', id: '10000001' });
    journal.finish({ row: 2, key: 'K2', outcome: 'failed', stage: 'validate', code: 'ROW_INVALID', error: 'EMAIL: bad' });
    journal.pending(3, 'K3', 'modify');
    journal.pending(4, 'K4', 'add');
    journal.clear(4);
    expect(journal.get(1)).toMatchObject({ status: 'done', outcome: 'added', id: '10000001' });
    expect(journal.get(2)).toMatchObject({ status: 'done', outcome: 'failed', stage: 'validate', code: 'ROW_INVALID', error: 'EMAIL: bad', id: undefined });
    expect(journal.get(4)).toBeUndefined();
    expect(journal.counts()).toEqual({ pending: 1, done: 2, failed: 1 });
    expect(store.getId('customers', 'K1')).toEqual({ object: 'CUSTOMER', id: '10000001' });
    store.endRun(journal.runId, 'interrupted', { rows: 2 });
    expect(store.run(journal.runId)).toMatchObject({ status: 'interrupted', mapping: 'customers', fingerprint: '10:abc' });
    store.close();
  });

  it('finds the latest run of a mapping on a file, resumes its journal; a new run drops older journals', () => {
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

    const second = store.startRun(RUN);
    expect(second.runId).toBeGreaterThan(first.runId);
    expect(store.latestRun('customers', '/data/customers.csv')?.id).toBe(second.runId);
    expect(resumed.get(1)).toBeUndefined();
    // The id map outlives the journals.
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
    expect(empty.getId('customers', '1')).toBeUndefined();
    empty.close();
    expect(existsSync(file)).toBe(false);
    const rw = StateStore.open(file);
    rw.setId('customers', '1', { object: 'CUSTOMER', id: '5' });
    rw.close();
    const ro = StateStore.open(file, { readonly: true });
    expect(ro.getId('customers', '1')).toEqual({ object: 'CUSTOMER', id: '5' });
    expect(() => ro.setId('customers', '2', { object: 'CUSTOMER', id: '6' })).toThrow();
    ro.close();
  });

  it('refuses a file that is not SQLite, and one written by a newer version, with STATE_INVALID', () => {
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is not a database, just text that is long enough to have a header '.repeat(10));
    expect(() => StateStore.open(junk)).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
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
    expect(reader.prepare('SELECT id FROM id_map WHERE key = ?').get('K2')).toEqual({ id: '9' });
    reader.close();
    // flush() commits what is queued at once (before the run closes the file).
    const third = journal.finishSoon({ row: 1, key: 'K1', outcome: 'added', id: '8' });
    journal.flush();
    expect(journal.get(1)).toMatchObject({ status: 'done', id: '8' });
    await third;
    store.close();
  });
});
