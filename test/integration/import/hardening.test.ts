/**
 * What an adversarial review broke on the import side (issue "Hardening"), one test per item,
 * with inputs sized so a regression fails fast rather than after minutes.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../../src/import/import-csv.js';
import { inspectInput } from '../../../src/import/input-file.js';
import { scopeOf } from '../../../src/state/crm-scope.js';
import { StateStore } from '../../../src/state/state-store.js';
import { CREDENTIALS, fixture, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

const HEADER = 'legacy_id,first_name,last_name,email,country,tier,notes';

function rows(n: number, width = 60): string {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) lines.push(`K${String(i).padStart(6, '0')},First${i},Last${i},,US,,${'n'.repeat(width)}`);
  return `${lines.join('\n')}\n`;
}

describe('import hardening', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => ws.close());

  /** A run that crashed after journaling the first `done` rows of `file` (its process is gone). */
  async function crashedRun(file: string, done: number, keyOf: (row: number) => string = (r) => `K${String(r).padStart(6, '0')}`): Promise<void> {
    const state = StateStore.open(join(ws.dir, '.wapi-bulk', 'state.sqlite'));
    const journal = state.startRun({
      mapping: 'customers',
      object: 'CUSTOMER',
      action: 'upsert',
      input: realpathSync(file),
      fingerprint: (await inspectInput(file, 'auto')).fingerprint,
      mappingHash: 'x',
      scope: scopeOf(ws.emulator.url, CREDENTIALS.tenant),
    });
    for (let row = 1; row <= done; row++) journal.finish({ row, key: keyOf(row), outcome: 'failed', stage: 'send', code: 'X', error: 'x' });
    const db = new Database(state.file);
    db.prepare('UPDATE runs SET pid = 4194305 WHERE id = ?').run(journal.runId);
    db.close();
    state.close();
  }

  it('--resume after the file changed past its first MiB (same size) is refused, naming the file', async () => {
    // The trap: the file check covered the size and the first MiB; a row moved past it, same size,
    // and --resume paired journaled rows with other rows: one record never added, exit 0.
    const text = rows(16_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const file = ws.write('in.csv', text);
    await crashedRun(file, 3);
    const lines = text.split('\n');
    // Swap two rows near the end: same bytes, other order.
    [lines[15_000], lines[15_001]] = [lines[15_001] as string, lines[15_000] as string];
    writeFileSync(file, lines.join('\n'));
    await expect(importCsv({ file, mapping: fixture('customers.yaml'), connection: { url: ws.emulator.url, credentials: CREDENTIALS }, cwd: ws.dir, resume: true })).rejects.toMatchObject({
      code: 'STATE_MISMATCH',
      message: expect.stringContaining('changed since run'),
    });
  });

  it('--resume compares each journaled row\'s key with the row\'s key now, and names the first that differs', async () => {
    const file = ws.write('in.csv', rows(5));
    // A journal whose keys do not match the file (as a journal of another file with the same bytes would not).
    await crashedRun(file, 3, (row) => (row === 2 ? 'SOMEONE-ELSE' : `K${String(row).padStart(6, '0')}`));
    await expect(importCsv({ file, mapping: fixture('customers.yaml'), connection: { url: ws.emulator.url, credentials: CREDENTIALS }, cwd: ws.dir, resume: true })).rejects.toMatchObject({
      code: 'STATE_MISMATCH',
      message: expect.stringContaining('row 2 has key K000002, but run 1 journaled key SOMEONE-ELSE for it'),
    });
  });

  it('two imports of one file and mapping at once: the second is exit 2 naming the first, nothing added twice', async () => {
    // The trap: both exited 0 and every row was added twice.
    await ws.close();
    ws = await workspace({ latency: 15 });
    const file = ws.write('in.csv', rows(60, 5));
    const args = ['import', file, '--mapping', fixture('customers-add.yaml'), '--concurrency', '2'];
    const first = ws.cli(args);
    // Let the first one start its run before the second.
    for (;;) {
      const total = Number((await ws.get('CUSTOMER', []))[0]?.['TOTAL']);
      if (total > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const second = await ws.cli(args);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/run 1 of mapping "customers" on .*in\.csv is still running \(process \d+ on /);
    expect((await first).code).toBe(0);
    expect(Number((await ws.get('CUSTOMER', []))[0]?.['TOTAL'])).toBe(60);
  });

  it('a very wide header is refused at once with a clear error, not minutes of work', async () => {
    // The trap: a million columns ran 11 minutes (a quadratic duplicate-name check).
    const header = Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',');
    const file = ws.write('wide.csv', `${header}\n${',' .repeat(5)}\n`);
    // Sized so that a quadratic check would run past the test's timeout.
    const run = await ws.cli(['validate', file, '--mapping', fixture('customers.yaml')], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the header has 200000 columns, more than the 10000 a mapping can use');
  });

  it('a repeated column name in a header of thousands of columns is found in linear time', async () => {
    const names = Array.from({ length: 9_000 }, (_, i) => `c${i}`);
    const file = ws.write('many.csv', `${[...names, 'legacy_id', 'first_name', 'last_name', 'email', 'country', 'tier', 'notes', 'c5'].join(',')}\n`);
    const run = await ws.cli(['validate', file, '--mapping', fixture('customers.yaml')], { url: false });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('the header names c5 more than once; the last one wins');
  });

  it('a huge field is a CSV error naming its line, not an "internal error" at gigabytes of memory', async () => {
    // The trap: a 200 MB field was "internal error ... Invalid array length" at 2.9 GB.
    const field = 'x'.repeat(20 * 1024 * 1024);
    const file = ws.write('huge.csv', `${HEADER}\nK1,A,B,,US,,ok\nK2,A,B,,US,,"${field}"\n`);
    const run = await ws.cli(['validate', file, '--mapping', fixture('customers.yaml')], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/huge\.csv, line 3: a record longer than 16777216 characters/);
    expect(run.stderr).not.toContain('internal error');
  });

  it('a YAML alias bomb in a mapping is a mapping error with a hint, not "internal error"', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f']]) levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const mapping = ws.write('bomb.yaml', `${levels.join('\n')}\nobject: customer\naction: add\nkey: legacy_id\nfields:\n  FIRSTNAME: *f\n`);
    const run = await ws.cli(['validate', fixture('customers.csv'), '--mapping', mapping], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bomb\.yaml: the YAML expands its aliases \(\*name\) too far to be a mapping/);
    expect(run.stderr).not.toContain('internal error');
  });

  it('a mapping name cannot place reports outside the output folder', async () => {
    const mapping = ws.write('m.yaml', readFileSync(fixture('customers.yaml'), 'utf8').replace(/^name: .*$/m, 'name: ../../escape'));
    const run = await ws.cli(['validate', fixture('customers.csv'), '--mapping', mapping], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/name: a name is letters/);
  });
});
