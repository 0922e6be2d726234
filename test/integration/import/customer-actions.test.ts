import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, latestOut, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

describe('import customers', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => ws.close());

  const out = (name: string) => latestOut(ws.dir, name);

  it('adds every row, writes the reports and the id map, and exits 0', async () => {
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers-add.yaml')]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const success = readCsv(join(out('customers'), 'success.csv'));
    expect(success.map((r) => [r['row'], r['key'], r['action']])).toEqual(
      expect.arrayContaining([['1', 'C1', 'added'], ['2', 'C2', 'added'], ['3', 'C3', 'added'], ['4', 'C4', 'added'], ['5', 'C5', 'added']]),
    );
    expect(success).toHaveLength(5);
    // The original columns follow, in input order, values as read (multi-line, quotes, Unicode).
    const c1 = success.find((r) => r['key'] === 'C1') as Record<string, string>;
    expect(Object.keys(c1)).toEqual(['row', 'key', 'action', 'id', 'note', 'legacy_id', 'first_name', 'last_name', 'email', 'country', 'tier', 'notes']);
    expect(c1['notes']).toBe('Prefers email.\nSpeaks German, English.');
    const [record] = await ws.get('CUSTOMER', [['ACCOUNTNUM', c1['id'] as string]]);
    expect(record).toMatchObject({ FIRSTNAME: 'Zoë', LASTNAME: 'Müller', EMAIL: 'zoe@example.de', ADDR1COUNTRY: 'Germany', CUSTOMERTYPE: 'VIP', LEGACY_ID: 'C1' });
    const [c4] = await ws.get('CUSTOMER', [['LEGACY_ID', 'C4']]);
    expect(c4?.['COMMENTS']).toBe('世界 and emoji 🚀');
    const [c3] = await ws.get('CUSTOMER', [['LEGACY_ID', 'C3']]);
    expect(c3?.['COMMENTS']).toBe('Says "hi" a lot; <b>bold</b> & co');
    expect(c3?.['LASTNAME']).toBe("O'Brien");
    expect(readCsv(join(out('customers'), 'errors.csv'))).toEqual([]);
    expect(readSummary(out('customers'))).toMatchObject({ rows: 5, succeeded: 5, failed: 0, added: 5, modified: 0, unchanged: 0 });
    expect(run.stdout).toContain('5 rows, 5 succeeded (5 added, 0 modified, 0 unchanged), 0 failed');
  });

  it('upserts: adds what is new, modifies what changed, leaves the rest unchanged', async () => {
    expect((await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')])).code).toBe(0);
    expect(readSummary(out('customers'))).toMatchObject({ rows: 5, added: 5, modified: 0, unchanged: 0 });

    // Same file again: nothing to change, even for the multi-line note.
    expect((await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')])).code).toBe(0);
    expect(readSummary(out('customers'))).toMatchObject({ rows: 5, added: 0, modified: 0, unchanged: 5 });

    // One changed value, one new row; CRLF line ends everywhere must not read as changes.
    const changed = ws.write(
      'changed.csv',
      [
        'legacy_id,first_name,last_name,email,country,tier,notes',
        'C1,Zoë,Müller,zoe@example.de,DE,gold,"Prefers email.\r\nSpeaks German, English."',
        'C2,João,Silva-Santos,joao@example.com.br,BR,,',
        'C6,New,Person,new@example.com,US,,',
        '',
      ].join('\r\n'),
    );
    expect((await ws.cli(['import', changed, '--mapping', fixture('customers.yaml')])).code).toBe(0);
    expect(readSummary(out('customers'))).toMatchObject({ rows: 3, succeeded: 3, added: 1, modified: 1, unchanged: 1 });
    const byKey = Object.fromEntries(readCsv(join(out('customers'), 'success.csv')).map((r) => [r['key'], r]));
    expect(byKey['C1']?.['action']).toBe('unchanged');
    expect(byKey['C2']?.['action']).toBe('modified');
    expect(byKey['C6']?.['action']).toBe('added');
    const c2 = await ws.get('CUSTOMER', [['LEGACY_ID', 'C2']]);
    expect(c2).toHaveLength(1);
    expect(c2[0]?.['LASTNAME']).toBe('Silva-Santos');
    expect(byKey['C2']?.['id']).toBe(c2[0]?.['ACCOUNTNUM']);
    // No duplicates after three runs.
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'C1']])).toHaveLength(1);
  });

  it('modifies by match, and reports a row whose record is not there', async () => {
    await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')]);
    const edits = ws.write(
      'edits.csv',
      'legacy_id,first_name,last_name,email,country,tier,notes\nC3,Mary,O\'Brien,mary@example.com,US,partner,new note\nC42,No,Body,nobody@example.com,US,,\n',
    );
    const run = await ws.cli(['import', edits, '--mapping', fixture('customers-modify.yaml'), '--out', 'modify']);
    expect(run.code).toBe(1);
    const success = readCsv(join(ws.dir, 'modify', 'success.csv'));
    expect(success.map((r) => [r['key'], r['action']])).toEqual([['C3', 'modified']]);
    const errors = readCsv(join(ws.dir, 'modify', 'errors.csv'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ row: '2', key: 'C42', stage: 'match', code: 'NOT_FOUND' });
    expect(errors[0]?.['error']).toContain('no customer has LEGACY_ID="C42"');
    expect((await ws.get('CUSTOMER', [['LEGACY_ID', 'C3']]))[0]?.['COMMENTS']).toBe('new note');
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'C42']])).toHaveLength(0);
  });

  it('modifies by an id column: a success.csv fed back in as is', async () => {
    await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')]);
    const success = join(out('customers'), 'success.csv');
    const run = await ws.cli(['import', success, '--mapping', fixture('customers-modify-by-id.yaml'), '--out', 'by-id']);
    expect(run.code).toBe(0);
    // A modify by id reads each record first (its before-image, for undo): the notes are the
    // same as imported, so nothing is sent.
    expect(readSummary(join(ws.dir, 'by-id'))).toMatchObject({ rows: 5, unchanged: 5 });
    // The report of a report has one set of report columns, not two.
    const again = readCsv(join(ws.dir, 'by-id', 'success.csv'));
    expect(Object.keys(again[0] as object)).toEqual(['row', 'key', 'action', 'id', 'note', 'legacy_id', 'first_name', 'last_name', 'email', 'country', 'tier', 'notes']);
  });

  it('dry run: reads the tenant, reports what would happen, writes nothing to the CRM or the state', async () => {
    await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--limit', '2', '--state', 'state.sqlite']);
    const before = (await ws.get('CUSTOMER', [])).at(0);
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--dry-run', '--state', 'dry.sqlite', '--out', 'dry']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry run');
    const rows = readCsv(join(ws.dir, 'dry', 'success.csv'));
    const actions = Object.fromEntries(rows.map((r) => [r['key'], [r['action'], r['id']]]));
    expect(actions['C1']?.[0]).toBe('unchanged');
    expect(actions['C3']).toEqual(['added', '']);
    expect(readSummary(join(ws.dir, 'dry'))).toMatchObject({ rows: 5, succeeded: 5, added: 3, unchanged: 2 });
    expect((await ws.get('CUSTOMER', [])).at(0)).toEqual(before);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(ws.dir, 'dry.sqlite'))).toBe(false);
  });
});
