/**
 * The traps of the issue "Import that never lies": each was reproduced as a new user would meet
 * it, and each test here is named after the trap it closes. Real emulator on port 0, the CLI
 * in-process, the state file in a temp folder.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../../src/import/import-csv.js';
import { CREDENTIALS, fixture, latestOut, readCsv, readSummary, useCredentialsEnv, workspace, type Workspace } from './helpers.js';

beforeAll(useCredentialsEnv);

const CUSTOMERS = fixture('customers.yaml');
const HEADER = 'legacy_id,first_name,last_name,email,country,tier,notes';

describe('import that never lies', () => {
  let ws: Workspace;
  beforeEach(async () => (ws = await workspace()));
  afterEach(async () => ws.close());

  const customer = async (legacyId: string) => (await ws.get('CUSTOMER', [['LEGACY_ID', legacyId]]))[0];
  const total = async (object: string) => Number((await ws.get(object, []))[0]?.['TOTAL']);

  describe('encodings', () => {
    it('a Latin-1 file with a mapping silent on encoding reaches the CRM intact, and stderr says how it was read', async () => {
      // The trap: exit 0, "2 added", and the CRM held J\uFFFDrgen Gr\uFFFD\uFFFDe.
      const csv = ws.write('latin.csv', iconv.encode(`${HEADER}\nL1,Jürgen,Größe,j@example.de,DE,,\nL2,Zoë,Ñandú,z@example.de,DE,,\n`, 'latin1'));
      const run = await ws.cli(['import', csv, '--mapping', CUSTOMERS]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('read as windows-1252: not valid UTF-8 at line 2');
      expect(await customer('L1')).toMatchObject({ FIRSTNAME: 'Jürgen', LASTNAME: 'Größe' });
      expect(await customer('L2')).toMatchObject({ FIRSTNAME: 'Zoë', LASTNAME: 'Ñandú' });
      expect(readSummary(latestOut(ws.dir, 'customers'))).toMatchObject({ encoding: 'windows-1252', added: 2 });
    });

    it('a Windows "CSV" (windows-1252) keeps O’Brien and € as they are', async () => {
      // The trap: encoding: windows-1252 was refused, and latin1 turned ’ into U+0092, € into U+0080.
      const text = `${HEADER}\nW1,Seán,O’Brien,s@example.ie,US,,costs 5€ – “quoted”\n`;
      const csv = ws.write('win.csv', iconv.encode(text, 'windows-1252'));
      const mapping = ws.write('m.yaml', readFileSync(CUSTOMERS, 'utf8').replace(/^fields:/m, 'csv: { encoding: windows-1252 }\nfields:'));
      const run = await ws.cli(['import', csv, '--mapping', mapping]);
      expect(run.code, run.stderr).toBe(0);
      expect(await customer('W1')).toMatchObject({ LASTNAME: 'O’Brien', COMMENTS: 'costs 5€ – “quoted”' });
      // And the same file under auto: not UTF-8, so windows-1252.
      const auto = await ws.cli(['import', csv, '--mapping', CUSTOMERS, '--out', 'auto']);
      expect(auto.code).toBe(0);
      expect(readSummary(join(ws.dir, 'auto'))).toMatchObject({ encoding: 'windows-1252', unchanged: 1 });
    });

    it('an explicit utf-8 meets invalid bytes: exit 2 before any request, naming the line and the encoding to try', async () => {
      const csv = ws.write('bad.csv', Buffer.concat([Buffer.from(`${HEADER}\nU1,Ann,Lee,a@example.com,US,,\nU2,J`), Buffer.from([0xfc]), Buffer.from('rgen,X,j@example.com,US,,\n')]));
      const mapping = ws.write('m.yaml', readFileSync(CUSTOMERS, 'utf8').replace(/^fields:/m, 'csv: { encoding: utf-8 }\nfields:'));
      const run = await ws.cli(['import', csv, '--mapping', mapping]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/bad\.csv: not valid UTF-8 at line 3, but the mapping says csv\.encoding: utf-8 \(the file is probably windows-1252/);
      expect(await total('CUSTOMER')).toBe(0);
    });

    it('UTF-16BE with its byte-order mark', async () => {
      const csv = ws.write('be.csv', iconv.encode(`${HEADER}\nB1,Ångström,Ωmega,b@example.com,US,,\n`, 'utf-16be', { addBOM: true }));
      const run = await ws.cli(['import', csv, '--mapping', CUSTOMERS]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('read as utf-16be: the file starts with its byte-order mark');
      expect(await customer('B1')).toMatchObject({ FIRSTNAME: 'Ångström', LASTNAME: 'Ωmega' });
      // The reports are written as the input was read, so errors.csv can be fed back in.
      expect([...readFileSync(join(latestOut(ws.dir, 'customers'), 'success.csv')).subarray(0, 2)]).toEqual([0xfe, 0xff]);
    });
  });

  describe('a dry run that passes means the real run passes', () => {
    it('a mapping tag typo (EMIAL) fails validate, the dry run and the import alike, before any row, with did-you-mean', async () => {
      const mapping = ws.write('m.yaml', readFileSync(CUSTOMERS, 'utf8').replace('EMAIL:', 'EMIAL:'));
      for (const args of [['validate'], ['import', '--dry-run'], ['import']]) {
        const run = await ws.cli([args[0] as string, fixture('customers.csv'), '--mapping', mapping, ...args.slice(1)], { url: args[0] !== 'validate' });
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr).toMatch(/fields\.EMIAL: EMIAL is neither a customer field nor a custom field declared under customFields \(did you mean EMAIL\?/);
      }
      expect(await total('CUSTOMER')).toBe(0);
    });

    it('a declared custom field the tenant lacks is a mapping error online (dry run and import), before any row', async () => {
      // The tenant has LEGACY_ID; the mapping declares LEGACY_IDX.
      await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS, '--limit', '1']);
      const mapping = ws.write('m.yaml', readFileSync(CUSTOMERS, 'utf8').replaceAll('LEGACY_ID', 'LEGACY_IDX'));
      for (const extra of [['--dry-run'], []]) {
        const run = await ws.cli(['import', fixture('customers.csv'), '--mapping', mapping, ...extra]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/fields\.LEGACY_IDX: LEGACY_IDX is not a custom field of tenant AcmeJets's customer records \(did you mean LEGACY_ID\?\)/);
      }
      expect(await total('CUSTOMER')).toBe(1);
    });

    it('a dry run of an add mapping already imported predicts what the real run does, row for row', async () => {
      // The trap: the dry run said "28 added"; the real run failed all 28 as duplicates.
      await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS]);
      // The cases went in under another mapping name (another tool, another state file): the id
      // map of "cases" does not know them, the look-up by match does.
      const earlier = ws.write('earlier.yaml', readFileSync(fixture('cases.yaml'), 'utf8').replace('name: cases', 'name: cases-earlier'));
      expect((await ws.cli(['import', fixture('cases.csv'), '--mapping', earlier])).code).toBe(1);
      const cases = fixture('cases.yaml');
      const dry = await ws.cli(['import', fixture('cases.csv'), '--mapping', cases, '--dry-run', '--out', 'dry']);
      const real = await ws.cli(['import', fixture('cases.csv'), '--mapping', cases, '--out', 'real']);
      const outcome = (dir: string) =>
        Object.fromEntries([
          ...readCsv(join(ws.dir, dir, 'success.csv')).map((r) => [r['key'], r['action']]),
          ...readCsv(join(ws.dir, dir, 'errors.csv')).map((r) => [r['key'], r['code']]),
        ]);
      expect(outcome('dry')).toEqual(outcome('real'));
      expect(Object.values(outcome('real'))).toContain('ALREADY_EXISTS');
      expect(dry.code).toBe(real.code);
    });

    it('a repeated key in one file: every occurrence after the first is DUPLICATE_KEY, predicted by the dry run too', async () => {
      // The trap: "added" then "modified", without a word; the dry run predicted "2 added".
      const csv = ws.write('dup.csv', `${HEADER}\nD001,Ann,Lee,a@example.com,US,,\nD002,Bo,Ek,b@example.com,US,,\nD001,Ann,Leigh,a2@example.com,US,,\n`);
      const dry = await ws.cli(['import', csv, '--mapping', CUSTOMERS, '--dry-run', '--out', 'dry']);
      const real = await ws.cli(['import', csv, '--mapping', CUSTOMERS, '--out', 'real']);
      for (const [run, dir] of [[dry, 'dry'], [real, 'real']] as const) {
        expect(run.code).toBe(1);
        const [error, ...more] = readCsv(join(ws.dir, dir, 'errors.csv'));
        expect(more).toEqual([]);
        expect(error).toMatchObject({ row: '3', key: 'D001', stage: 'key', code: 'DUPLICATE_KEY' });
        expect(error?.['error']).toContain('key D001 is also on row 1');
      }
      expect(await customer('D001')).toMatchObject({ LASTNAME: 'Lee' });
    });

    it('an upsert that would move a case to another customer is an error naming both, not "unchanged"', async () => {
      await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS]);
      const upsert = ws.write('cases-upsert.yaml', readFileSync(fixture('cases.yaml'), 'utf8').replace('action: add', 'action: upsert'));
      const csv = ws.write('c.csv', 'ticket_id,customer_id,subject,body,state,owner\nT9,C1,Move me,body,new,\n');
      expect((await ws.cli(['import', csv, '--mapping', upsert])).code).toBe(0);
      const [before] = await ws.get('CASE', [['CASE_LEGACY_ID', 'T9']]);
      const moved = ws.write('c2.csv', 'ticket_id,customer_id,subject,body,state,owner\nT9,C2,Move me,body,new,\n');
      const run = await ws.cli(['import', moved, '--mapping', upsert]);
      expect(run.code).toBe(1);
      const [error] = readCsv(join(latestOut(ws.dir, 'cases'), 'errors.csv'));
      const c2 = (await customer('C2'))?.['ACCOUNTNUM'];
      expect(error).toMatchObject({ key: 'T9', code: 'PARENT_CHANGE' });
      expect(error?.['error']).toContain(`belongs to customer ${before?.['ACCOUNTNUM']} and the row says ${c2}`);
      expect((await ws.get('CASE', [['CASE_LEGACY_ID', 'T9']]))[0]?.['ACCOUNTNUM']).toBe(before?.['ACCOUNTNUM']);
    });
  });

  describe('re-runs', () => {
    it('an add import run twice with the same state file adds nothing the second time: skipped, with the earlier id and run', async () => {
      // The trap: 4 tasks for 2 rows, exit 0 both times.
      const csv = ws.write('add.csv', `${HEADER}\nA1,Ann,Lee,,US,,\nA2,Bo,Ek,,US,,\n`);
      // Nothing unique is sent (no EMAIL, no LEGACY_ID): only the id map stands between a re-run
      // and a second record per row.
      const addOnly = ws.write('add.yaml', 'name: customers\nobject: customer\naction: add\nkey: legacy_id\nfields:\n  FIRSTNAME: first_name\n  LASTNAME: last_name\n  AUTOPASSWD: { value: "TRUE" }\n');
      const first = await ws.cli(['import', csv, '--mapping', addOnly]);
      expect(first.code).toBe(0);
      const firstOut = latestOut(ws.dir, 'customers');
      const firstRun = readSummary(firstOut)['runId'];
      const second = await ws.cli(['import', csv, '--mapping', addOnly]);
      expect(second.code).toBe(0);
      const secondOut = latestOut(ws.dir, 'customers');
      expect(secondOut).not.toBe(firstOut);
      expect(readSummary(secondOut)).toMatchObject({ rows: 2, skipped: 2, added: 0 });
      const rows = readCsv(join(secondOut, 'success.csv'));
      const ids = Object.fromEntries(readCsv(join(firstOut, 'success.csv')).map((r) => [r['key'], r['id']]));
      for (const r of rows) {
        expect(r).toMatchObject({ action: 'skipped', id: ids[r['key'] as string] });
        expect(r['note']).toBe(`already imported as ${ids[r['key'] as string]} by run ${firstRun} (add --force-add to send it anyway)`);
      }
      expect(await total('CUSTOMER')).toBe(2);
      // --force-add sends them anyway.
      const forced = await ws.cli(['import', csv, '--mapping', addOnly, '--force-add']);
      expect(forced.code, forced.stderr).toBe(0);
      expect(readSummary(latestOut(ws.dir, 'customers'))).toMatchObject({ added: 2, skipped: 0 });
      expect(await total('CUSTOMER')).toBe(4);
    });
  });

  describe('runs keep their reports', () => {
    it('each run writes its own folder; a later validate or dry run never replaces a real run\'s success.csv', async () => {
      const real = await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS]);
      const realOut = latestOut(ws.dir, 'customers');
      expect(real.stdout).toContain(`reports: ${realOut}`);
      const ids = readFileSync(join(realOut, 'success.csv'), 'utf8');
      await ws.cli(['validate', fixture('customers.csv'), '--mapping', CUSTOMERS], { url: false });
      await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS, '--dry-run']);
      expect(readFileSync(join(realOut, 'success.csv'), 'utf8')).toBe(ids);
      const folders = readdirSync(join(ws.dir, 'wapi-bulk-out', 'customers')).sort();
      expect(folders).toHaveLength(3);
      expect(folders.some((f) => f.startsWith('dry-run-'))).toBe(true);
      expect(folders.some((f) => f.startsWith('validate-'))).toBe(true);
      expect(folders.some((f) => /^\d+-\d{8}-\d{6}$/.test(f))).toBe(true);
    });

    it('two validations started at once keep a folder each (runs the state file does not number)', async () => {
      // Found in review: validate, dry-run and undo folders were named by the second only, so two
      // started in the same second wrote their reports into one folder; reconcile alone avoided it.
      const validate = () => importCsv({ file: fixture('customers.csv'), mapping: CUSTOMERS, cwd: ws.dir });
      const [a, b] = await Promise.all([validate(), validate()]);
      expect(a.outDir).not.toBe(b.outDir);
      for (const s of [a, b]) expect(readSummary(s.outDir)).toMatchObject({ mode: 'offline', rows: s.rows });
    });

    it('an explicit --out holding another run\'s reports is refused unless --overwrite', async () => {
      expect((await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS, '--out', 'o'])).code).toBe(0);
      const again = await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS, '--out', 'o']);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/--out .*o already holds the reports of run 1 \(give another --out, leave --out out .* or add --overwrite\)/);
      expect((await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS, '--out', 'o', '--overwrite'])).code).toBe(0);
      expect(readSummary(join(ws.dir, 'o'))).toMatchObject({ runId: 2, unchanged: 5 });
    });

    it('wapi-bulk runs lists the runs of a state file: mapping, input, tenant, status, counts, folder', async () => {
      await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS]);
      await ws.cli(['import', fixture('ragged.csv'), '--mapping', CUSTOMERS]);
      const run = await ws.cli(['runs'], { url: false });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^run 2: customers \(customer upsert\), finished/m);
      expect(run.stdout).toMatch(/^run 1: customers \(customer upsert\), finished/m);
      expect(run.stdout).toContain(`tenant:  AcmeJets at ${ws.emulator.url}`);
      expect(run.stdout).toMatch(/rows: {4}4 rows, 2 added, 0 modified, 2 failed/);
      expect(run.stdout).toContain(`reports: ${latestOut(ws.dir, 'customers')}`);
      const json = JSON.parse((await ws.cli(['runs', '--json'], { url: false })).stdout) as Array<{ id: number; status: string }>;
      expect(json.map((r) => [r.id, r.status])).toEqual([[2, 'finished'], [1, 'finished']]);
    });

    it('a run stopped by a dead server says so: status stopped, rows the file\'s count, the rest pending', async () => {
      // The trap: summary.json said "rows": 79 for a 500-row file and nothing said it stopped.
      const lines = [HEADER];
      for (let i = 1; i <= 300; i++) lines.push(`S${i},F${i},L${i},s${i}@example.com,US,,`);
      const csv = ws.write('big.csv', `${lines.join('\n')}\n`);
      const emulator = ws.emulator;
      let closing: Promise<void> | undefined;
      const watch = setInterval(() => {
        void ws.get('CUSTOMER', []).then((items) => {
          if (!closing && Number(items[0]?.['TOTAL']) >= 30) closing = emulator.close();
        }, () => undefined);
      }, 10);
      // Few retries with short backoffs: the run gives up on the dead server in seconds.
      const run = await importCsv({ file: csv, mapping: CUSTOMERS, connection: { url: emulator.url, credentials: CREDENTIALS }, cwd: ws.dir, concurrency: 2, retries: 1, retryBaseMs: 5 }).then(
        (summary) => ({ code: summary.exitCode }),
        () => ({ code: 2 }),
      );
      clearInterval(watch);
      await closing;
      expect(run.code).toBe(2);
      const summary = readSummary(latestOut(ws.dir, 'customers'));
      expect(summary).toMatchObject({ status: 'stopped', exitCode: 2, rows: 300 });
      expect(summary['pending']).toBeGreaterThan(0);
      expect((summary['succeeded'] as number) + (summary['failed'] as number) + (summary['pending'] as number)).toBe(300);
      expect(String(summary['stopReason'])).toMatch(/cannot connect|failed|refused/);
    });
  });

  describe('stop early', () => {
    it('rows that all fail with the same API error stop the run after --max-errors of them: resumable, exit 1, the error named', async () => {
      // The trap: a run whose first rows all failed the same way kept sending the rest. Here every
      // row carries the address a customer already has: only the server can tell.
      await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS, '--limit', '1']);
      const lines = [HEADER];
      for (let i = 1; i <= 40; i++) lines.push(`M${i},F${i},L${i},zoe@example.de,US,,`);
      const csv = ws.write('dups.csv', `${lines.join('\n')}\n`);
      const run = await ws.cli(['import', csv, '--mapping', fixture('customers-add.yaml'), '--max-errors', '5', '--concurrency', '1']);
      expect(run.code, run.stderr).toBe(1);
      const summary = readSummary(latestOut(ws.dir, 'customers'));
      // The row already sent when the fifth failure came back finishes too (graceful stop).
      expect(summary).toMatchObject({ status: 'stopped', exitCode: 1, rows: 40 });
      expect(summary['failed']).toBeGreaterThanOrEqual(5);
      expect(summary['failed']).toBeLessThanOrEqual(6);
      expect((summary['failed'] as number) + (summary['pending'] as number)).toBe(40);
      expect(String(summary['stopReason'])).toMatch(/stopped by --max-errors: 5 rows in a row failed with WAPI_REJECTED, the last one \(row 5\): Duplicate value 'zoe@example.de' of 'EMAIL'/);
      expect(await total('CUSTOMER')).toBe(1);
      expect(run.stdout).toContain('run the same command with --resume to continue');
    });
  });

  describe('messages that no longer mislead', () => {
    it('one stray quote mid-field: the error names the line and offers csv.relax_quotes, which then reads it', async () => {
      const csv = ws.write('q.csv', `${HEADER}\nQ1,Ann,Lee,a@example.com,US,,37.8"N\nQ2,Bo,Ek,b@example.com,US,,ok\n`);
      const run = await ws.cli(['import', csv, '--mapping', CUSTOMERS]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/q\.csv, line 2: CSV syntax error: .*relax_quotes: true/);
      const relaxed = ws.write('m.yaml', readFileSync(CUSTOMERS, 'utf8').replace(/^fields:/m, 'csv: { relax_quotes: true }\nfields:'));
      expect((await ws.cli(['import', csv, '--mapping', relaxed])).code).toBe(0);
      expect(await customer('Q1')).toMatchObject({ COMMENTS: '37.8"N' });
    });

    it('a quote that never closes names the line where it opens, not the end of the file', async () => {
      const csv = ws.write('open.csv', `${HEADER}\nO1,Ann,Lee,a@example.com,US,,fine\nO2,Bo,Ek,b@example.com,US,,"never closed\nO3,Cy,Fu,c@example.com,US,,x\nO4,Di,Go,d@example.com,US,,y\n`);
      const run = await ws.cli(['import', csv, '--mapping', CUSTOMERS]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/open\.csv, line 3: CSV syntax error: a quoted field opens on this line and is never closed/);
    });

    it('a ;-delimited file read with the default delimiter says which delimiter the header looks like', async () => {
      const csv = ws.write('semi.csv', `${HEADER.replaceAll(',', ';')}\nS1;Ann;Lee;a@example.com;US;;\n`);
      const run = await ws.cli(['import', csv, '--mapping', CUSTOMERS]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('(the header looks ";"-delimited: add csv: { delimiter: ";" } to the mapping)');
    });

    it('import prints the failures grouped by code at the end; errors.csv is in input row order', async () => {
      const lines = [HEADER];
      for (let i = 1; i <= 30; i++) lines.push(i % 3 === 0 ? `E${i},,Last${i},e${i}@example.com,US,,` : `E${i},First${i},Last${i},not-an-email-${i},US,,`);
      const csv = ws.write('bad.csv', `${lines.join('\n')}\n`);
      const run = await ws.cli(['import', csv, '--mapping', CUSTOMERS, '--concurrency', '8']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/failures by code \(every one is in errors\.csv\):\n {2}ROW_INVALID: 30 rows\n {4}row 1 \(E1\), validate: EMAIL/);
      const rows = readCsv(join(latestOut(ws.dir, 'customers'), 'errors.csv')).map((r) => Number(r['row']));
      expect(rows).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('--version prints the version; validate --help lists only what validate uses', async () => {
      const version = await ws.cli(['--version'], { url: false });
      expect(version.code).toBe(0);
      expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
      const help = await ws.cli(['validate', '--help'], { url: false });
      expect(help.stdout).toContain('--mapping');
      for (const flag of ['--dry-run', '--resume', '--rate', '--force-add', '--max-errors']) expect(help.stdout).not.toContain(flag);
    });

    it('import --help describes what import does with the flags it shares with validate', async () => {
      // Found in review: import --help said "--limit: check the first N rows only", validate's words.
      const help = await ws.cli(['import', '--help'], { url: false });
      expect(help.stdout).toMatch(/--limit <n>\s+import the first N rows only/);
      expect(help.stdout).toMatch(/--state <file>\s+state file: id map, run journal/);
      expect(help.stdout).not.toContain('check the first N rows');
    });
  });

  it('nothing the tool writes is readable by others', async () => {
    await ws.cli(['import', fixture('customers.csv'), '--mapping', CUSTOMERS]);
    const out = latestOut(ws.dir, 'customers');
    for (const name of ['success.csv', 'errors.csv', 'summary.json', 'report.html']) {
      expect(existsSync(join(out, name)), name).toBe(true);
      expect((await import('node:fs')).statSync(join(out, name)).mode & 0o077, name).toBe(0);
    }
    expect((await import('node:fs')).statSync(join(ws.dir, '.wapi-bulk', 'state.sqlite')).mode & 0o077).toBe(0);
  });
});
