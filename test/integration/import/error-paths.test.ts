import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { filesUnder, fixture, latestOut, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

const HEADER = 'legacy_id,first_name,last_name,email,country,tier,notes';

describe('import error paths', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => {
    process.env['WAPI_PASSWORD'] = 'john123';
    await ws.close();
  });

  it('an invalid mapping stops the run with exit 2, the problem named by its path', async () => {
    const mapping = ws.write(
      'bad.yaml',
      'object: customer\naction: upsert\nkey: legacy_id\nfields:\n  FIRSTNAME: first_name\n  EMAIL: { column: email, transform: [shout] }\n',
    );
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', mapping]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad.yaml:6: fields.EMAIL.transform[0]: unknown transform "shout"');
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'C1']])).toHaveLength(0);
  });

  it('a column the mapping reads and the header lacks stops the run with exit 2 before any request', async () => {
    const csv = ws.write('no-email.csv', 'legacy_id,first_name,last_name,country,tier,notes\nC1,A,B,US,,\n');
    const run = await ws.cli(['import', csv, '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fields.EMAIL.column: column "email" is not in the CSV header');
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'C1']])).toHaveLength(0);
  });

  // Regression (review): --limit checked only the first N rows up front but read on to the end,
  // so a quoting error past row N failed a run whose rows were already sent (and the run closed
  // its journal under them). The check now covers the whole file.
  it('--limit N: a syntax error further down stops the run before any row is sent', async () => {
    const csv = ws.write('tail-broken.csv', `${HEADER}\nL1,A,One,l1@example.com,US,,\nL2,B,Two,l2@example.com,US,,\nL3,C,"Three,l3@example.com,US,,\n`);
    const run = await ws.cli(['import', csv, '--mapping', fixture('customers.yaml'), '--limit', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tail-broken\.csv, line \d+: CSV syntax error/);
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'L1']])).toHaveLength(0);
  });

  // Regression (review): the key came from the first of two columns named alike, the mapped
  // fields from the last, so the id map tied a record to the wrong legacy id.
  it('a repeated column name: the key and the fields both read the last one', async () => {
    const csv = ws.write('twice.csv', 'legacy_id,first_name,last_name,email,country,tier,notes,legacy_id\nOLD,A,B,ab@example.com,US,,,NEW\n');
    const run = await ws.cli(['import', csv, '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(0);
    expect(readCsv(join(latestOut(ws.dir, 'customers'), 'success.csv'))[0]).toMatchObject({ key: 'NEW' });
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'NEW']])).toHaveLength(1);
  });

  // Regression (review): an --out that cannot be written was an "internal error" after every
  // row had been sent.
  it('an --out that cannot be written stops the run with exit 2 before any request', async () => {
    const blocker = ws.write('not-a-folder', 'x');
    const csv = ws.write('one.csv', `${HEADER}\nO1,A,B,o1@example.com,US,,\n`);
    const run = await ws.cli(['import', csv, '--mapping', fixture('customers.yaml'), '--out', join(blocker, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^wapi-bulk: cannot write the reports in .*not-a-folder.*: (EEXIST|ENOTDIR) \(give --out a folder you can write to\)/m);
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'O1']])).toHaveLength(0);
  });

  it('rows failing validation go to errors.csv with stage validate; the run goes on', async () => {
    const csv = ws.write(
      'invalid.csv',
      `${HEADER}\nV1,Ok,Row,ok@example.com,US,,\nV2,Bad,Email,not an email!,US,,\nV3,${'x'.repeat(31)},Long,long@example.com,US,,\nV4,Bad,Country,c@example.com,Atlantis,,\n`,
    );
    const run = await ws.cli(['import', csv, '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(1);
    const errors = Object.fromEntries(readCsv(join(latestOut(ws.dir, 'customers'), 'errors.csv')).map((e) => [e['key'], e]));
    expect(Object.keys(errors).sort()).toEqual(['V2', 'V3', 'V4']);
    expect(errors['V2']).toMatchObject({ stage: 'validate', code: 'ROW_INVALID' });
    expect(errors['V2']?.['error']).toContain('EMAIL');
    expect(errors['V3']?.['error']).toMatch(/FIRSTNAME: 31 characters, more than the 30 allowed/);
    // The tenant's country list was read at the start (LIST COUNTRY).
    expect(errors['V4']?.['error']).toMatch(/ADDR1COUNTRY: "Atlantis" is not one of the tenant's/);
    expect(await ws.get('CUSTOMER', [['LEGACY_ID', 'V1']])).toHaveLength(1);
  });

  it("a command the server rejects goes to errors.csv with the server's ERROR_STR", async () => {
    // EMAIL is unique among customers: only the server knows the other row holds it.
    const csv = ws.write('dup.csv', `${HEADER}\nD1,First,Holder,same@example.com,US,,\n`);
    await ws.cli(['import', csv, '--mapping', fixture('customers.yaml')]);
    const second = ws.write('dup2.csv', `${HEADER}\nD2,Second,Holder,same@example.com,US,,\n`);
    const run = await ws.cli(['import', second, '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(1);
    const [error] = readCsv(join(latestOut(ws.dir, 'customers'), 'errors.csv'));
    expect(error).toMatchObject({ key: 'D2', stage: 'send', code: 'WAPI_REJECTED' });
    expect(error?.['error']).toBe("Duplicate value 'same@example.com' of 'EMAIL'");
  });

  it('several records with the match value: "ambiguous match", nothing sent', async () => {
    ws.emulator.loadFixtures({
      customers: [
        { ACCOUNTNUM: 20000001, FIRSTNAME: 'Twin', LASTNAME: 'One', LEGACY_ID: 'C1' },
        { ACCOUNTNUM: 20000002, FIRSTNAME: 'Twin', LASTNAME: 'Two', LEGACY_ID: 'C1' },
      ],
    });
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(1);
    const errors = readCsv(join(latestOut(ws.dir, 'customers'), 'errors.csv'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ key: 'C1', stage: 'match', code: 'AMBIGUOUS_MATCH', error: 'ambiguous match: 2 records have LEGACY_ID=C1' });
    expect((await ws.get('CUSTOMER', [['LEGACY_ID', 'C1']])).map((c) => c['LASTNAME']).sort()).toEqual(['One', 'Two']);
  });

  it('an input file that is not there is exit 2 naming it', async () => {
    const run = await ws.cli(['import', join(ws.dir, 'nope.csv'), '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot read ${join(ws.dir, 'nope.csv')}: ENOENT`);
  });

  it('a refused login stops the run with exit 2 before any row', async () => {
    process.env['WAPI_PASSWORD'] = 'wrong';
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid login parameters.');
    expect(run.stderr).toContain('WAPI_PASSWORD');
  });

  it('an unreachable server stops the run with exit 2', async () => {
    const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--url', 'http://127.0.0.1:9/WAPI/wapi.php'], { url: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot connect to http:\/\/127\.0\.0\.1:9/);
  });

  it('the password appears in no report, log line or state file, even at debug level', async () => {
    const run = await ws.cli(['--log-level', 'debug', 'import', fixture('ragged.csv'), '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(1);
    const files = filesUnder(ws.dir);
    expect(files.some((f) => f.endsWith('state.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('errors.csv'))).toBe(true);
    for (const file of files) expect(readFileSync(file).includes('john123'), file).toBe(false);
    expect(run.stdout + run.stderr).not.toContain('john123');
  });

  it('summary invariants: rows = succeeded + failed + pending = lines of the two reports; succeeded = added + modified + unchanged + skipped', async () => {
    await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml'), '--limit', '2']);
    const run = await ws.cli(['import', fixture('ragged.csv'), '--mapping', fixture('customers.yaml')]);
    expect(run.code).toBe(1);
    await ws.cli(['import', fixture('customers.csv'), '--mapping', fixture('customers.yaml')]);
    const dir = latestOut(ws.dir, 'customers');
    const s = readSummary(dir);
    expect(Object.keys(s)).toEqual([
      'status', 'exitCode', 'runId', 'mode', 'mapping', 'input', 'encoding', 'startedAt', 'finishedAt',
      'rows', 'succeeded', 'failed', 'pending', 'added', 'modified', 'unchanged', 'skipped', 'deleted', 'requests', 'retries', 'elapsedMs', 'escapedFormulas',
    ]);
    expect(s).toMatchObject({ status: 'completed', exitCode: 0, mode: 'import', rows: 5, succeeded: 5, failed: 0, pending: 0, added: 3, unchanged: 2 });
    expect(s['rows']).toBe((s['succeeded'] as number) + (s['failed'] as number) + (s['pending'] as number));
    expect(s['succeeded']).toBe((s['added'] as number) + (s['modified'] as number) + (s['unchanged'] as number) + (s['skipped'] as number));
    expect(readCsv(join(dir, 'success.csv')).length + readCsv(join(dir, 'errors.csv')).length).toBe(s['rows']);
    expect(s['requests']).toBeGreaterThan(5);
  });
});
