/**
 * `wapi-bulk reconcile` against the emulator: a real import, edits straight through the API, and
 * what reconcile makes of them, file by file.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WapiClient } from '../../../src/client/wapi-client.js';
import { reconcile as reconcileRun } from '../../../src/reconcile/reconcile.js';
import {
  CREDENTIALS,
  CUSTOMER_HEADER,
  CUSTOMER_MAPPING,
  csvText,
  customerFixtures,
  customerRows,
  latestOut,
  runReconcile,
  useCredentialsEnv,
  workspace,
  type Workspace,
} from './helpers.js';

beforeAll(useCredentialsEnv);

describe('reconcile customers', () => {
  let ws: Workspace;
  let client: WapiClient;
  let csv: string;
  let mapping: string;
  beforeEach(async () => {
    ws = await workspace();
    client = new WapiClient({ url: ws.emulator.url, credentials: CREDENTIALS });
    csv = ws.write('people.csv', csvText(CUSTOMER_HEADER, customerRows(30)));
    mapping = ws.write('people.yaml', CUSTOMER_MAPPING);
  });
  afterEach(async () => {
    await client.close();
    await ws.close();
  });

  const imp = async (file = csv) => {
    const run = await ws.cli(['import', file, '--mapping', mapping]);
    expect(run.code, run.stderr).toBe(0);
  };
  const reconcile = (...rest: string[]) => runReconcile(ws, csv, mapping, 'people', ...rest);
  const accountOf = async (legacy: string) => (await ws.get('CUSTOMER', [['LEGACY_ID', legacy]]))[0]?.['ACCOUNTNUM'] as string;
  const modify = async (legacy: string, tags: Array<[string, string]>) =>
    client.call({ object: 'CUSTOMER', action: 'MODIFY', tags: [['ACCOUNTNUM', await accountOf(legacy)], ...tags] });

  it('right after an import, reconcile is clean (exit 0), whichever way it reads the CRM', async () => {
    await imp();
    for (const strategy of ['auto', 'walk', 'lookup']) {
      const { code, stdout, out } = await reconcile('--strategy', strategy);
      expect(code, stdout).toBe(0);
      expect(out.summary).toMatchObject({ sourceRows: 30, matched: 30, same: 30, missing: 0, different: 0, differentFields: 0, invalid: 0, exitCode: 0, status: 'completed' });
      expect(out.summary.strategy).toBe(strategy === 'lookup' ? 'lookup' : 'walk');
      expect(out.summary.extra).toBe(strategy === 'lookup' ? null : 0);
      expect([out.missing, out.different, out.extra, out.repair, out.invalid].map((rows) => rows.length)).toEqual([0, 0, 0, 0, 0]);
      expect(stdout).toMatch(/^people: 30 rows: 30 same, 0 missing, 0 different, .* source and CRM agree$/m);
    }
  });

  it('edits straight through the API are reported exactly: a changed COMPANY and city, a deleted record, a record added with a legacy key not in the source', async () => {
    await imp();
    await modify('L2', [['COMPANY', 'Renamed Ltd']]);
    await modify('L3', [['ADDR1CITY', 'Springfield']]);
    const gone = await accountOf('L4');
    await client.call({ object: 'CUSTOMER', action: 'DELETE', tags: [['ACCOUNTNUM', gone]] });
    const added = await client.call({ object: 'CUSTOMER', action: 'ADD', tags: [['FIRSTNAME', 'Nemo'], ['LASTNAME', 'Nobody'], ['AUTOPASSWD', 'TRUE'], ['LEGACY_ID', 'L999']] });
    const addedId = added.items[0]?.['ACCOUNTNUM'] as string;

    const { code, out } = await reconcile('--strategy', 'walk');
    expect(code).toBe(1);
    expect(out.summary).toMatchObject({ sourceRows: 30, matched: 29, same: 27, missing: 1, different: 2, differentFields: 2, extra: 1, invalid: 0, exitCode: 1 });
    expect(out.summary['differingFields']).toEqual({ ADDR1CITY: 1, COMPANY: 1 });
    expect(out.different).toEqual([
      { key: 'L2', id: await accountOf('L2'), field: 'COMPANY', source: 'Company 2', crm: 'Renamed Ltd' },
      { key: 'L3', id: await accountOf('L3'), field: 'ADDR1CITY', source: 'City 3', crm: 'Springfield' },
    ]);
    // missing.csv holds the source row as it is, in the source's columns: it imports as is.
    expect(out.missing).toEqual([Object.fromEntries(CUSTOMER_HEADER.map((c, i) => [c, customerRows(1, 4)[0]?.[i]]))]);
    expect(out.extra).toHaveLength(1);
    expect(out.extra[0]).toMatchObject({ id: addedId, LEGACY_ID: 'L999', FIRSTNAME: 'Nemo', LASTNAME: 'Nobody' });
    expect(out.repair.map((r) => r['legacy_id'])).toEqual(['L2', 'L3', 'L4']);
    expect(out.invalid).toEqual([]);
    // report.html: the figures, which add up, and the fields that differ most.
    const html = readFileSync(join(out.dir, 'report.html'), 'utf8');
    expect(html).not.toContain('id="inconsistent"');
    expect(html).toContain('id="differing"');
    expect(html).toContain('Missing in the CRM');
  });

  it('the repair round trip ends clean: import repair.csv, reconcile again', async () => {
    await imp();
    await modify('L6', [['COMPANY', 'Wrong Inc']]);
    await modify('L8', [['ADDR1CITY', 'Nowhere'], ['COMMENTS', 'edited by hand']]);
    await client.call({ object: 'CUSTOMER', action: 'DELETE', tags: [['ACCOUNTNUM', await accountOf('L7')]] });
    const first = await reconcile();
    expect(first.code).toBe(1);
    expect(first.out.summary).toMatchObject({ missing: 1, different: 2, differentFields: 3 });

    const repair = await ws.cli(['import', join(first.out.dir, 'repair.csv'), '--mapping', mapping]);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(/3 rows, 3 succeeded \(1 added, 2 modified, 0 unchanged\)/);

    const second = await reconcile();
    expect(second.code, second.stdout).toBe(0);
    expect(second.out.summary).toMatchObject({ sourceRows: 30, same: 30, missing: 0, different: 0, extra: 0 });
  });

  it('a customer without a LEGACY_ID is not "extra"', async () => {
    await imp();
    await client.call({ object: 'CUSTOMER', action: 'ADD', tags: [['FIRSTNAME', 'Walk'], ['LASTNAME', 'In'], ['AUTOPASSWD', 'TRUE']] });
    const { code, out } = await reconcile('--strategy', 'walk');
    expect(code).toBe(0);
    expect(out.summary).toMatchObject({ extra: 0, crmRecords: 31 });
  });

  it('a source row the mapping rejects is reported as invalid, not as missing', async () => {
    await imp();
    const rows = customerRows(30);
    rows.push(['L31', 'Bad', 'Email', 'not an address', '', '', 'US', '', '']); // fails validation
    rows.push(['L1', 'Again', 'Repeated', 'again@example.com', '', '', 'US', '', '']); // a key twice: the import refuses the second
    rows.push(['L32', 'Nowhere', 'Land', 'n@example.com', '', '', 'Atlantis', '', '']); // not a country of the tenant
    rows.push(['L33', 'Fine', 'New', 'fine@example.com', '', '', 'US', '', '']); // valid, not imported: missing
    rows.push(['L34', 'NoLast', '', 'nolast@example.com', '', '', 'US', '', '']); // no record, and Add needs LASTNAME
    (rows[9] as string[])[2] = ''; // L10 without LASTNAME: its record exists, so the upsert modifies it
    ws.write('people.csv', csvText(CUSTOMER_HEADER, rows));
    const { code, out } = await reconcile();
    expect(code).toBe(1);
    expect(out.summary).toMatchObject({ sourceRows: 35, same: 30, missing: 1, invalid: 4 });
    expect(out.invalid.map((r) => [r['row'], r['key'], r['stage'], r['code']])).toEqual([
      ['31', 'L31', 'validate', 'ROW_INVALID'],
      ['32', 'L1', 'key', 'DUPLICATE_KEY'],
      ['33', 'L32', 'validate', 'ROW_INVALID'],
      ['35', 'L34', 'validate', 'ROW_INVALID'],
    ]);
    expect(out.invalid[3]?.['error']).toMatch(/^no record has this row's LEGACY_ID, and the import could not add it: .*LASTNAME/);
    expect(out.invalid[0]?.['email']).toBe('not an address');
    expect(out.missing.map((r) => r['legacy_id'])).toEqual(['L33']);
    expect(out.repair.map((r) => r['legacy_id'])).toEqual(['L33']);
  });

  it('normalises what the API normalises: CRLF line ends, list values in another case, trimmed names', async () => {
    // The same rows with CRLF everywhere (and in the notes), a tier whose CRM spelling is VIP.
    const rows = customerRows(30).map((r) => r.map((v) => v.replaceAll('\n', '\r\n')));
    (rows[0] as string[])[1] = '  First1  ';
    ws.write('people.csv', csvText(CUSTOMER_HEADER, rows, '\r\n'));
    await imp();
    const [l4] = await ws.get('CUSTOMER', [['LEGACY_ID', 'L4']]);
    expect(l4?.['CUSTOMERTYPE']).toBe('VIP');
    expect(l4?.['COMMENTS']).toBe('note 4');
    const [l3] = await ws.get('CUSTOMER', [['LEGACY_ID', 'L3']]);
    expect(l3?.['COMMENTS']).toBe('line one\nline two 3');
    // Whitespace at the ends of a field the mapping trims is not a difference.
    await modify('L1', [['FIRSTNAME', 'First1 ']]);
    const { code, out } = await reconcile();
    expect(code, JSON.stringify(out.different)).toBe(0);
    expect(out.summary.same).toBe(30);
  });

  it('a mapping can say how a field compares: compare: ignore, case-insensitive', async () => {
    await imp();
    await modify('L8', [['ADDR1CITY', 'CITY 8']]);
    await modify('L9', [['COMPANY', 'Other']]);
    expect((await reconcile()).out.summary).toMatchObject({ different: 2 });
    ws.write('people.yaml', CUSTOMER_MAPPING.replace('ADDR1CITY: city', 'ADDR1CITY: { column: city, compare: case-insensitive }').replace('COMPANY: company', 'COMPANY: { column: company, compare: ignore }'));
    const { code, out } = await reconcile();
    expect(code).toBe(0);
    expect(out.summary).toMatchObject({ same: 30, different: 0 });
  });

  it('the files are written in the source\'s dialect (delimiter, encoding), formula-like cells escaped', async () => {
    const rows = customerRows(3).map((r) => r.map((v) => v.replaceAll('\n', ' ')));
    (rows[1] as string[])[1] = 'Zoë';
    (rows[1] as string[])[8] = '=1+2 and ½';
    const text = [CUSTOMER_HEADER, ...rows].map((r) => r.join(';')).join('\n') + '\n';
    csv = ws.write('people.csv', iconv.encode(text, 'latin1'));
    mapping = ws.write('people.yaml', `${CUSTOMER_MAPPING}csv: { delimiter: ";", encoding: latin1 }\n`);
    await imp();
    await client.call({ object: 'CUSTOMER', action: 'DELETE', tags: [['ACCOUNTNUM', await accountOf('L2')]] });
    const { code, out } = await reconcile();
    expect(code).toBe(1);
    const missing = iconv.decode(readFileSync(join(out.dir, 'missing.csv')), 'latin1');
    expect(missing).toBe(`${CUSTOMER_HEADER.join(';')}\nL2;Zoë;Last2;person2@example.com;Company 2;City 2;FR;partner;'=1+2 and ½\n`);
    const plain = await reconcile('--no-escape-formulas');
    expect(iconv.decode(readFileSync(join(plain.out.dir, 'repair.csv')), 'latin1')).toContain(';=1+2 and ½\n');
  });

  it('an AbortSignal stops the walk of the CRM too, not only the source', async () => {
    // Found in review: the walk was started without the run's signal, so a cancelled reconcile
    // went on reading the whole object. A GET of the walk is held until the test cancels.
    await ws.close();
    ws = await workspace({ maxItems: 7, fixtures: { customers: customerFixtures(200) }, faultScript: [{ object: 'CUSTOMER', action: 'GET', nth: 6, fault: 'timeout', delayMs: 20_000 }] });
    csv = ws.write('people.csv', csvText(CUSTOMER_HEADER, customerRows(200)));
    const stop = new AbortController();
    const running = reconcileRun({
      file: csv,
      mapping: ws.write('people.yaml', CUSTOMER_MAPPING),
      connection: { url: ws.emulator.url, credentials: CREDENTIALS },
      strategy: 'walk',
      maxItems: 7,
      signal: stop.signal,
      cwd: ws.dir,
    });
    while (ws.emulator.faultLog().length === 0) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await expect(running).rejects.toMatchObject({ code: 'WAPI_ABORTED' });
    // The held GET was cut off by the signal, not answered after its 20 s.
    expect(ws.emulator.faultLog()).toHaveLength(1);
  });

  it('a 3,000-row reconcile takes at most a few dozen requests', async () => {
    const rows = customerRows(3000);
    ws.write('people.csv', csvText(CUSTOMER_HEADER, rows));
    ws.emulator.loadFixtures({ customers: customerFixtures(3000) });
    const { code, out } = await reconcile();
    expect(code, JSON.stringify(out.different.slice(0, 3))).toBe(0);
    expect(out.summary).toMatchObject({ sourceRows: 3000, same: 3000, strategy: 'walk', extra: 0 });
    expect(out.summary.requests).toBeLessThanOrEqual(36);
  });

  it('the small-source strategy is chosen for 20 rows against a large CRM, and gives the same result', async () => {
    await ws.close();
    // 20,000 customers and a reply cap of 100: a walk would take some 500 requests.
    ws = await workspace({ maxItems: 100, fixtures: { customers: customerFixtures(20_000, 1001, 20_000_000).map(({ LEGACY_ID: _none, ...c }) => c) } });
    await client.close();
    client = new WapiClient({ url: ws.emulator.url, credentials: CREDENTIALS });
    csv = ws.write('people.csv', csvText(CUSTOMER_HEADER, customerRows(20)));
    mapping = ws.write('people.yaml', CUSTOMER_MAPPING);
    await imp();
    await modify('L3', [['COMPANY', 'Changed']]);
    await client.call({ object: 'CUSTOMER', action: 'DELETE', tags: [['ACCOUNTNUM', await accountOf('L4')]] });

    const small = await reconcile();
    expect(small.code).toBe(1);
    expect(small.out.summary).toMatchObject({ strategy: 'lookup', sourceRows: 20, same: 18, missing: 1, different: 1, extra: null });
    expect(small.out.summary.requests).toBeLessThan(50);
    expect(small.stdout).toMatch(/strategy lookup \(20 source rows to look up, and a walk of 20019 customer records at max-items 100 is estimated at ~\d+ requests\)/);
    expect(small.out.summary.warnings.join('\n')).toMatch(/extra records were not looked for: the look-up strategy/);

    const walked = await reconcile('--strategy', 'walk');
    expect(walked.out.summary).toMatchObject({ strategy: 'walk', same: 18, missing: 1, different: 1, extra: 0, crmRecords: 20_019 });
    expect(walked.out.summary.requests).toBeGreaterThan(200);
    for (const file of ['missing.csv', 'different.csv', 'repair.csv', 'invalid.csv']) {
      expect(readFileSync(join(walked.out.dir, file), 'utf8'), file).toBe(readFileSync(join(small.out.dir, file), 'utf8'));
    }
  });

  it('a CRM side that may lack records (a --max-items above the server\'s cap) is never called clean', async () => {
    await ws.close();
    ws = await workspace({ maxItems: 7 });
    csv = ws.write('people.csv', csvText(CUSTOMER_HEADER, customerRows(30)));
    mapping = ws.write('people.yaml', CUSTOMER_MAPPING);
    await imp();
    const wrong = await reconcile('--strategy', 'walk', '--max-items', '1000');
    expect(wrong.code).toBe(1);
    expect(wrong.out.summary.status).toBe('incomplete');
    expect(wrong.stdout).toMatch(/the CRM side may be incomplete/);
    expect(wrong.out.summary.warnings.join('\n')).toMatch(/the CRM side may be incomplete: .*TOTAL is 30/);
    // Learnt, the cap is right and the same CRM reconciles clean.
    const learnt = await reconcile('--strategy', 'walk');
    expect(learnt.code).toBe(0);
    expect(learnt.out.summary).toMatchObject({ same: 30, status: 'completed' });
  });

  it('a look-up cut at a cap of one falls back to a walk whose count still matches TOTAL', async () => {
    await ws.close();
    ws = await workspace({ maxItems: 1 });
    csv = ws.write('people.csv', csvText(CUSTOMER_HEADER, customerRows(5)));
    mapping = ws.write('people.yaml', CUSTOMER_MAPPING);
    await imp();
    const { code, out } = await reconcile('--strategy', 'lookup');
    expect(code, out.summary.warnings.join('\n')).toBe(0);
    expect(out.summary).toMatchObject({ strategy: 'walk', same: 5, extra: 0, status: 'completed' });
    expect(out.summary['walk']).toMatchObject({ apiTotal: 5, countMatches: true });
  });

  it('writes summary.json, report.html and the CSVs in a new folder per run; exit 2 when it cannot start', async () => {
    await imp();
    const first = await reconcile();
    const second = await ws.cli(['reconcile', csv, '--mapping', mapping]).then((r) => ({ ...r, out: { dir: latestOut(ws.dir, 'people') } }));
    expect(second.code).toBe(0);
    // A run too short for a periodic progress line leaves stderr alone (the summary says it all).
    expect(second.stderr).not.toMatch(/wapi-bulk:|\(comparing\)/);
    expect(second.out.dir).not.toBe(first.out.dir);
    expect(first.out.dir).toMatch(/wapi-bulk-out\/people\/reconcile-\d{8}-\d{6}(-\d+)?$/);
    const html = readFileSync(join(first.out.dir, 'report.html'), 'utf8');
    expect(html).toContain('reconcile of people.csv');
    expect(html).not.toContain(CREDENTIALS.password);

    const bad = await ws.cli(['reconcile', csv, '--mapping', ws.write('bad.yaml', 'object: customer\naction: upsert\nkey: nope\nfields: {}\n')]);
    expect(bad.code).toBe(2);
    const down = await ws.cli(['reconcile', csv, '--mapping', mapping, '--url', 'http://127.0.0.1:9/WAPI/wapi.php'], { url: false });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/cannot connect/);
    const taken = await ws.cli(['reconcile', csv, '--mapping', mapping, '--out', first.out.dir]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/already holds the reports/);
    expect(latestOut(ws.dir, 'people')).toBe(second.out.dir);
  });
});
